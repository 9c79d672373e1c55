import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/app/logger.js';
import { hashCallId, type CallEventKind } from '../src/core/triage/call-events.js';
import { DigestService } from '../src/digest/digest-service.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';
import { openStore } from '../src/store/open-store.js';
import type { Store, StoredEvent } from '../src/store/store.js';
import { cpuMs, type BenchResult } from './stats.js';

const EVENTS = Number(process.env.BENCH_DIGEST_EVENTS ?? 10_000_000);
const AT = Date.UTC(2026, 10, 25, 9);
const DAYS = 35;
const H = 3_600_000;
const TARGET_MS = 200;
const REPEATS = 10;

// Failure codes with rough real-world weights, and 300 peers with Zipf-like weights: a few trunks carry most.
const CODES: readonly [number, number][] = [
  [503, 30], [486, 20], [404, 15], [408, 10], [480, 8], [403, 5], [500, 4], [502, 3], [488, 3], [603, 2], [484, 2], [410, 1], [415, 1],
  [420, 1], [481, 1], [482, 1], [485, 1], [491, 1], [493, 1], [504, 1], [513, 1], [580, 1], [600, 1], [604, 1], [606, 1],
];
const PEERS = Array.from({ length: 300 }, (_, i) => `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`);

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function picker<T>(items: readonly T[], weight: (t: T, i: number) => number, random: () => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  items.forEach((t, i) => cumulative.push((total += weight(t, i))));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo] as T;
  };
}

/** 10 million calls over the 35 days before the digest: 80% answered, 4% cancelled, 16% failed. */
async function seed(store: Store, n: number): Promise<number> {
  const random = mulberry32(7);
  const code = picker(CODES, ([, w]) => w, random);
  const peer = picker(PEERS, (_, i) => 1 / (i + 1) ** 1.1, random);
  const started = performance.now();
  const batch = 5_000;
  for (let done = 0; done < n; done += batch) {
    const events: StoredEvent[] = [];
    for (let i = done; i < Math.min(n, done + batch); i++) {
      const r = random();
      const kind: CallEventKind = r < 0.8 ? 'answered' : r < 0.84 ? 'cancelled' : 'failure';
      const c = kind === 'answered' ? 200 : kind === 'cancelled' ? 487 : code()[0];
      events.push({
        surface: 'hep', workspace: null, channel: null,
        time: AT - DAYS * 24 * H + Math.floor((i / n) * DAYS * 24 * H),
        kind, code: c, method: kind === 'failure' && random() < 0.1 ? 'REGISTER' : 'INVITE',
        peer: peer(), product: null, q850: null, findings: [], callIdHash: hashCallId(`bench-${i}`),
      });
    }
    await store.recordEvents(events);
    if (done % 1_000_000 === 0 && done > 0) process.stderr.write(`  seeded ${done / 1e6}M events (${Math.round((performance.now() - started) / 1000)} s)\n`);
  }
  return (performance.now() - started) / 1000;
}

type Clock = () => number;
const wallMs: Clock = () => performance.now();

/** Least time of `run` over the repeats on `clock`; `prepare` runs before each, outside the measurement. */
async function best<T>(clock: Clock, prepare: () => Promise<T>, run: (t: T) => Promise<unknown>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    const t = await prepare();
    const before = clock();
    await run(t);
    min = Math.min(min, clock() - before);
  }
  return min;
}

/**
 * Digest build time over a store of 10 million events, against one roll-up count query in the same run. SQLite
 * runs in this process, so its figures are CPU time; with TEST_DATABASE_URL the same runs against PostgreSQL,
 * whose work happens in the server, so those are wall time. The data is kept between runs (an SQLite file in the
 * temp folder, a schema in PostgreSQL): seeding 10 million events takes minutes, and an interrupted seeding
 * resumes (the events are the same each time, and the store skips calls it already has).
 */
export async function benchDigest(): Promise<BenchResult[]> {
  const dir = join(tmpdir(), 'siptriage-bench');
  mkdirSync(dir, { recursive: true });
  const results = await benchOn(await openStore({ kind: 'sqlite', path: join(dir, `digest-${EVENTS}.db`) }), 'SQLite', cpuMs, 'ms CPU');
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    results.push({ name: 'PostgreSQL: skipped, TEST_DATABASE_URL is not set', value: 0, unit: '' });
    return results;
  }
  return [...results, ...(await benchOn(await openStore({ kind: 'postgres', url, schema: `bench_digest_${EVENTS}` }), 'PostgreSQL', wallMs, 'ms wall'))];
}

async function benchOn(store: Store, engine: string, clock: Clock, unit: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  try {
    const stored = async (): Promise<number> => (await store.counts({ from: AT - DAYS * 24 * H, to: AT, by: [] }))[0]?.count ?? 0;
    if ((await stored()) < EVENTS) {
      const s = await seed(store, EVENTS);
      results.push({ name: `${engine}: seeded ${EVENTS.toLocaleString('en-US')} events (once, then kept)`, value: s, unit: 's' });
    }
    const total = await stored();
    const kb = loadKnowledge();
    const log = createLogger({ level: 'silent', pretty: false });
    const service = (): DigestService => new DigestService({ store, kb, log, config: { cron: '0 9 * * *', timeZone: 'UTC', channels: [] } });
    const none = async (): Promise<void> => undefined;
    const oneQuery = await best(clock, none, () => store.counts({ from: AT - 24 * H, to: AT, by: ['code'], kinds: ['failure'] }));
    // Cold: a service that has read nothing yet (the first digest after a start) reads all 35 days.
    const cold = await best(clock, async () => service(), (d) => d.digest(AT));
    // Warm: the next day's digest in a running service, which read the 4 weeks before yesterday's.
    const warm = await best(clock, async () => {
      const d = service();
      await d.digest(AT - 24 * H);
      return d;
    }, (d) => d.digest(AT));
    const message = await best(clock, async () => service(), (d) => d.message(AT));
    // One after another: CPU time is the process's, so concurrent runs would be counted in each other.
    const stats: { range: '24h' | '7d' | '30d'; ms: number }[] = [];
    for (const range of ['24h', '7d', '30d'] as const) stats.push({ range, ms: await best(clock, async () => service(), (d) => d.stats({ range, by: 'code' }, AT - 1)) });
    const against = (v: number): NonNullable<BenchResult['ratio']> => ({ value: v / oneQuery, against: 'one counts() query' });
    results.push(
      { name: `${engine}: baseline, one counts() query (failures by code, 24 h)`, value: oneQuery, unit },
      { name: `${engine}: digest, cold: all 35 days of ${total.toLocaleString('en-US')} events`, value: cold, unit, ratio: against(cold) },
      { name: `${engine}: digest, warm: the next day in a running service`, value: warm, unit, ratio: against(warm) },
      { name: `${engine}: digest message, cold, with the chart PNG (resvg)`, value: message, unit, ratio: against(message) },
      ...stats.map(({ range, ms }) => ({ name: `${engine}: /sip stats ${range} by code, against the period before`, value: ms, unit, ratio: against(ms) })),
      { name: `${engine}: target, cold digest under ${TARGET_MS} ms`, value: cold / TARGET_MS, unit: `of target (${cold < TARGET_MS ? 'met' : 'MISSED'})` },
    );
  } finally {
    await store.close();
  }
  return results;
}
