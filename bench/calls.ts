// npm run bench calls: kept calls in the store. The keep rate in SQLite (messages/s, batches of 200 calls as
// the keeper writes them) next to the events write path (recordEvents, batches of 1,000) in the same run; then
// searches over 24 h of kept calls: by Call-ID, by number and by peer, SQLite and (with TEST_DATABASE_URL or
// DATABASE_URL) PostgreSQL. The issue sizes the search store at 10 million messages; this bench keeps
// CALLS_BENCH_MESSAGES (1 million by default) so that it finishes in a few minutes on the shared machine;
// CALLS_BENCH_ONLY=sqlite or postgres runs one engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { KeptCallInput } from '../src/ports/call-store.js';
import type { Store } from '../src/ports/store.js';
import { openStore } from '../src/store/open-store.js';
import type { StoreLocation } from '../src/store/store-location.js';
import { seedEvents } from './seed-events.js';
import { cpuMs, percentile, type BenchResult } from './stats.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9);
const PER_CALL = 6;
const BATCH_CALLS = 200;
const RATE_CALLS = 20_000;
const SEARCH_MESSAGES = Number(process.env['CALLS_BENCH_MESSAGES'] ?? 1_000_000);
const PEERS = 200;
const LOOKUPS = 50;

export async function benchCalls(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-bench-calls-'));
  const out: BenchResult[] = [{ name: 'machine: 1-minute load average at start (2 CPUs)', value: loadavg()[0] ?? 0, unit: '' }];
  // CALLS_BENCH_ONLY=postgres: the PostgreSQL searches alone (a 10 M run fills SQLite for minutes first).
  const only = process.env['CALLS_BENCH_ONLY'];
  try {
    if (only !== 'postgres') out.push(...(await sqliteRuns(dir)));
    const url = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
    if (only === 'sqlite') return out;
    if (url === undefined || !/^postgres(ql)?:/.test(url)) out.push({ name: 'PostgreSQL: skipped (set TEST_DATABASE_URL to a postgres:// URL)', value: 0, unit: '' });
    else {
      const schema = `bench_calls_${process.pid}`;
      try {
        out.push(...(await searches('PostgreSQL', { kind: 'postgres', url, schema })));
      } finally {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The keep rate against the events path, then the searches, in SQLite. */
async function sqliteRuns(dir: string): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  // 1. Keep rate against the events write path, in turn, best of 3.
  const calls = makeCalls(0, RATE_CALLS);
  const events = [...seedEvents(RATE_CALLS * PER_CALL, { from: NOW - DAY, days: 1, seed: 3 })].sort((a, b) => a.time - b.time);
  let keep = { wall: 0, cpu: 0 };
  let record = { wall: 0, cpu: 0 };
  for (let pass = 0; pass < 3; pass++) {
    const k = await keepAll({ kind: 'sqlite', path: join(dir, `keep-${pass}.db`) }, calls);
    keep = { wall: Math.max(keep.wall, k.wall), cpu: Math.max(keep.cpu, k.cpu) };
    const store = await openStore({ kind: 'sqlite', path: join(dir, `events-${pass}.db`) });
    try {
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < events.length; i += 1000) await store.recordEvents(events.slice(i, i + 1000));
      const wall = performance.now() - t0;
      const cpu = cpuMs() - c0;
      record = { wall: Math.max(record.wall, (events.length / wall) * 1000), cpu: Math.max(record.cpu, (events.length / cpu) * 1000) };
    } finally {
      await store.close();
    }
  }
  out.push(
    { name: `SQLite events path: recordEvents, batches of 1,000 (${events.length} events)`, value: record.wall, unit: 'events/s' },
    { name: `SQLite keepCalls: ${PER_CALL} messages a call, ${BATCH_CALLS} calls a batch`, value: keep.wall, unit: 'messages/s', ratio: { value: keep.wall / record.wall, against: 'events path' } },
    { name: 'SQLite keepCalls, per CPU second', value: keep.cpu, unit: 'messages/s', ratio: { value: keep.cpu / record.cpu, against: 'events path, CPU' } },
    { name: 'SQLite keepCalls vs the 50,000 messages/s target (wall)', value: keep.wall / 50_000, unit: '×' },
  );

  // 2. Searches over 24 h on a store of SEARCH_MESSAGES kept messages.
  out.push(...(await searches('SQLite', { kind: 'sqlite', path: join(dir, 'search.db') })));
  return out;
}

async function keepAll(location: StoreLocation, calls: readonly KeptCallInput[]): Promise<{ wall: number; cpu: number }> {
  const store = await openStore(location);
  try {
    const kept = store.calls;
    if (kept === undefined) throw new Error('this store keeps no calls');
    const c0 = cpuMs();
    const t0 = performance.now();
    let stored = 0;
    for (let i = 0; i < calls.length; i += BATCH_CALLS) stored += (await kept.keepCalls(calls.slice(i, i + BATCH_CALLS), { maxBytesPerDay: 2 ** 40 })).kept;
    if (stored !== calls.length) throw new Error(`kept ${stored} of ${calls.length} calls`);
    const wall = performance.now() - t0;
    const cpu = cpuMs() - c0;
    const messages = calls.length * PER_CALL;
    return { wall: (messages / wall) * 1000, cpu: (messages / cpu) * 1000 };
  } finally {
    await store.close();
  }
}

async function searches(engine: string, location: StoreLocation): Promise<BenchResult[]> {
  const total = Math.floor(SEARCH_MESSAGES / PER_CALL);
  const store: Store = await openStore(location);
  try {
    const kept = store.calls;
    if (kept === undefined) throw new Error('this store keeps no calls');
    const t0 = performance.now();
    for (let i = 0; i < total; i += 5000) await kept.keepCalls(makeCalls(i, Math.min(5000, total - i)), { maxBytesPerDay: 2 ** 40 });
    const fillS = (performance.now() - t0) / 1000;
    const day = { from: NOW - DAY, to: NOW + 1, limit: 20 };
    const byCallId = await timings(LOOKUPS, (i) => kept.findCalls({ ...day, callId: callIdOf((i * 7919) % total) }), 1);
    const byNumber = await timings(LOOKUPS, (i) => kept.findCalls({ ...day, number: numberOf((i * 104729) % total) }));
    const byPeer = await timings(LOOKUPS, (i) => kept.findCalls({ ...day, peer: peerOf(i % PEERS) }));
    const open = await timings(LOOKUPS, (i) => kept.openCalls(callIdOf((i * 7919) % total)), 1);
    return [
      { name: `${engine}: kept ${total * PER_CALL} messages (${total} calls over 24 h) to search`, value: fillS, unit: 's' },
      { name: `${engine}: search by Call-ID, 24 h, median of ${LOOKUPS}`, value: byCallId.p50, unit: 'ms', ratio: { value: byCallId.p50 / 5, against: '5 ms target' } },
      { name: `${engine}: search by Call-ID, p95`, value: byCallId.p95, unit: 'ms' },
      { name: `${engine}: open a call (messages) by Call-ID, median`, value: open.p50, unit: 'ms' },
      { name: `${engine}: search by number, 24 h, 20 newest, median`, value: byNumber.p50, unit: 'ms', ratio: { value: byNumber.p50 / 100, against: '100 ms target' } },
      { name: `${engine}: search by peer, 24 h, 20 newest, median`, value: byPeer.p50, unit: 'ms', ratio: { value: byPeer.p50 / 100, against: '100 ms target' } },
      { name: `${engine}: search by peer, p95`, value: byPeer.p95, unit: 'ms' },
    ];
  } finally {
    await store.close();
  }
}

async function timings(n: number, run: (i: number) => Promise<readonly unknown[]>, expect?: number): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const rows = await run(i);
    ms.push(performance.now() - t0);
    if (expect !== undefined && rows.length !== expect) throw new Error(`expected ${expect} row(s), got ${rows.length}`);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

const callIdOf = (i: number): string => `${(i * 2654435761) >>> 0}-${i}@bench.example.net`;
const numberOf = (i: number): string => `+4930${String(1_000_000 + (i % 900_000)).padStart(7, '0')}`;
const peerOf = (i: number): string => `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** Calls spread evenly over the 24 h before NOW, each a failed INVITE with PER_CALL messages of real size. */
function makeCalls(start: number, n: number): KeptCallInput[] {
  const out: KeptCallInput[] = [];
  const total = Math.floor(SEARCH_MESSAGES / PER_CALL);
  for (let i = start; i < start + n; i++) {
    const callId = callIdOf(i);
    const time = NOW - DAY + Math.floor(((i % total) / total) * DAY);
    const to = numberOf(i);
    const from = `+4940${String(2_000_000 + (i % 500_000)).padStart(7, '0')}`;
    const peer = peerOf(i % PEERS);
    const code = [503, 486, 404, 480, 408][i % 5] ?? 503;
    const messages = Array.from({ length: PER_CALL }, (_, k) => ({
      time: time + k * 20,
      src: k % 2 === 0 ? '192.0.2.10:5060' : `${peer}:5060`,
      dst: k % 2 === 0 ? `${peer}:5060` : '192.0.2.10:5060',
      transport: 'udp',
      raw: message(k, callId, from, to, code),
    }));
    out.push({ callId, time, kind: 'failure', code, method: 'INVITE', peer, findings: ['origin'], from, to, numbers: [from, to], legKeys: [callId], surface: 'hep', messages });
  }
  return out;
}

function message(k: number, callId: string, from: string, to: string, code: number): string {
  const start = k === 0 ? `INVITE sip:${to}@198.51.100.7 SIP/2.0` : k === PER_CALL - 1 ? `ACK sip:${to}@198.51.100.7 SIP/2.0` : k === 1 ? 'SIP/2.0 100 Trying' : `SIP/2.0 ${code} Failed`;
  return [
    start,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport',
    'Max-Forwards: 70',
    `From: <sip:${from}@192.0.2.10>;tag=1928301774`,
    `To: <sip:${to}@198.51.100.7>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 ${k === PER_CALL - 1 ? 'ACK' : 'INVITE'}`,
    'Contact: <sip:pbx@192.0.2.10:5060>',
    'User-Agent: bench-pbx 1.0',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
