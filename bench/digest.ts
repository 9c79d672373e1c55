// npm run bench digest: the digest (and /sip stats) over the roll-ups of 10 million events, in SQLite and, with
// TEST_DATABASE_URL, PostgreSQL, against one counts() query measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '../src/app/logger.js';
import { DigestService } from '../src/digest/digest-service.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/ports/store.js';
import type { StoreLocation } from '../src/store/store-location.js';
import { seedRollups } from './seed-events.js';
import { cpuMs, type BenchResult } from './stats.js';

const EVENTS = 10_000_000;
const AT = Date.UTC(2026, 10, 25, 9);
// The digest reads 35 days: its day, the week before, and the 4 weeks before the last one.
const DAYS = 35;
const H = 3_600_000;
const TARGET_MS = 200;
const REPEATS = 10;

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
 * Digest build time over a store holding 10 million events. counts() reads only the hourly roll-ups, so the
 * store is seeded with the roll-ups those events make (bench/seed-events.ts, shared with the store bench),
 * written directly: seconds instead of minutes. SQLite runs in this process, so its figures are CPU time;
 * PostgreSQL works in its server, so those are wall time.
 */
export async function benchDigest(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-bench-digest-'));
  const results: BenchResult[] = [];
  try {
    results.push(...(await seeded({ kind: 'sqlite', path: join(dir, 'digest.db') }, 'SQLite', cpuMs, 'ms CPU')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    results.push({ name: 'PostgreSQL: skipped, TEST_DATABASE_URL is not set', value: 0, unit: '' });
    return results;
  }
  const schema = `bench_digest_${process.pid}`;
  try {
    results.push(...(await seeded({ kind: 'postgres', url, schema }, 'PostgreSQL', wallMs, 'ms wall')));
  } finally {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
  return results;
}

async function seeded(location: StoreLocation, engine: string, clock: Clock, unit: string): Promise<BenchResult[]> {
  await (await openStore(location)).close();
  const started = performance.now();
  const { rows } = await seedRollups(location, EVENTS, { from: AT - DAYS * 24 * H, days: DAYS });
  const seeding: BenchResult = { name: `${engine}: roll-up rows for ${EVENTS / 1e6}M events over ${DAYS} days, written directly`, value: rows, unit: `rows (${((performance.now() - started) / 1000).toFixed(0)} s)` };
  return [seeding, ...(await benchOn(await openStore(location), engine, clock, unit))];
}

async function benchOn(store: Store, engine: string, clock: Clock, unit: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  try {
    const total = (await store.counts({ from: AT - DAYS * 24 * H, to: AT, by: [] }))[0]?.count ?? 0;
    const kb = loadKnowledge();
    const log = createLogger({ level: 'silent', pretty: false });
    const service = (): DigestService => new DigestService({ store, kb, log, config: { cron: '0 9 * * *', timeZone: 'UTC', channels: [] } });
    const none = async (): Promise<void> => undefined;
    const oneQuery = await best(clock, none, () => store.counts({ from: AT - 24 * H, to: AT, by: ['code'], kinds: ['failure'] }));
    const model = await best(clock, async () => service(), (d) => d.digest(AT));
    const message = await best(clock, async () => service(), (d) => d.message(AT));
    // One after another: CPU time is the process's, so concurrent runs would be counted in each other.
    const stats: { range: '24h' | '7d' | '30d'; ms: number }[] = [];
    for (const range of ['24h', '7d', '30d'] as const) stats.push({ range, ms: await best(clock, async () => service(), (d) => d.stats({ range, by: 'code' }, AT - 1)) });
    const against = (v: number): NonNullable<BenchResult['ratio']> => ({ value: v / oneQuery, against: 'one counts() query' });
    results.push(
      { name: `${engine}: baseline, one counts() query (failures by code, 24 h)`, value: oneQuery, unit },
      { name: `${engine}: digest model over 35 days of ${total.toLocaleString('en-US')} events (4 reads)`, value: model, unit, ratio: against(model) },
      { name: `${engine}: digest message, with the chart PNG (resvg)`, value: message, unit, ratio: against(message) },
      ...stats.map(({ range, ms }) => ({ name: `${engine}: /sip stats ${range} by code, against the period before`, value: ms, unit, ratio: against(ms) })),
      { name: `${engine}: target, digest model under ${TARGET_MS} ms`, value: model / TARGET_MS, unit: `of target (${model < TARGET_MS ? 'met' : 'MISSED'})` },
    );
  } finally {
    await store.close();
  }
  return results;
}
