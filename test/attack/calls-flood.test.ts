import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHep3 } from '../../src/core/hep/encode-hep.js';
import { parseDatabaseUrl } from '../../src/store/store-location.js';
import { openStore } from '../../src/store/open-store.js';
import { parseExposition } from '../ingest/metrics-reader.js';
import { startServed, type ServedProcess } from './served-process.js';

// Issue 17: kept calls are bounded by CALLS_MAX_MB_PER_DAY and the keeper's queue, so a flood of failing
// calls ten times the day's cap — through /ingest and through HEP at once — must leave the day's kept bytes
// at the cap, the database file near it, and the process's memory within the queues' bounds, while the
// service keeps answering and counts every call it could not keep.
const MIB = 1024 * 1024;
const CAP_MB = 1;
const FLOOD_BYTES = 10 * CAP_MB * MIB;
const TOKEN = 'calls-flood-token-0123456789';

// A real SIPp call answered 503 (test/fixtures/traces/raw, PROVENANCE.md): INVITE, 503, ACK.
const SIPP_503 = readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/03-unavailable-503.sip'), 'utf8');
const SIPP_CALL_ID = '1-1e708cbbde3f307a@uac.example.com';
const MESSAGES = SIPP_503.split(/\n(?=SIP\/2\.0 |ACK )/).map((m) => m.replace(/\r?\n/g, '\r\n'));

let dir: string;
let served: ServedProcess;
let databaseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siptriage-calls-flood-'));
  databaseUrl = `sqlite:${join(dir, 'flood.db')}`;
  served = await startServed({ DATABASE_URL: databaseUrl, INGEST_TOKEN: TOKEN, HEP_PORT: '0', CALLS_MAX_MB_PER_DAY: String(CAP_MB), HEP_CALL_GRACE_SECONDS: '0.2' }, 'HEP collector listening (UDP and TCP)');
}, 60_000);

afterAll(async () => {
  await served?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const status = (pid: number, field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
const fileBytes = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

async function metrics(): Promise<Map<string, number>> {
  return parseExposition(await (await fetch(`${served.base}/metrics`)).text());
}

/** SIPp's call under Call-ID `id`, each message as sent. */
const callOf = (id: string): string[] => MESSAGES.map((m) => m.replaceAll(SIPP_CALL_ID, id));

async function floodIngest(bytes: number): Promise<{ bodies: number; kept: number; overCap: number }> {
  const perBody = 100;
  const callBytes = callOf('x').join('\r\n').length;
  const bodies = Math.ceil(bytes / (perBody * callBytes));
  let kept = 0;
  let overCap = 0;
  let next = 0;
  const sender = async (): Promise<void> => {
    for (let b = next++; b < bodies; b = next++) {
      const body = Array.from({ length: perBody }, (_, i) => callOf(`flood-http-${b}-${i}@uac.example.com`).join('\r\n')).join('\r\n');
      const res = await fetch(`${served.base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body });
      const answer = (await res.json()) as { kept?: number; overCap?: number };
      expect(res.status).toBe(200);
      kept += answer.kept ?? 0;
      overCap += answer.overCap ?? 0;
    }
  };
  await Promise.all([sender(), sender(), sender(), sender()]);
  return { bodies, kept, overCap };
}

// Over HEP's TCP transport: no kernel buffer drops a datagram, so every call sent is a call judged.
async function floodHep(bytes: number): Promise<number> {
  const socket = connect(served.hepPort(), '127.0.0.1');
  await once(socket, 'connect');
  let sent = 0;
  let calls = 0;
  const now = Date.now();
  try {
    while (sent < bytes) {
      const messages = callOf(`flood-hep-${calls}@uac.example.com`);
      for (const [i, m] of messages.entries()) {
        const toPeer = i % 2 === 0;
        const packet = encodeHep3({ src: { host: toPeer ? '192.0.2.10' : '203.0.113.7', port: 5060 }, dst: { host: toPeer ? '203.0.113.7' : '192.0.2.10', port: 5060 }, ipProtocol: 6, timeSec: Math.floor(now / 1000), timeUsec: (calls % 1000) * 1000 + i, payload: m });
        if (!socket.write(packet)) await once(socket, 'drain');
        sent += m.length;
      }
      calls++;
    }
  } finally {
    socket.end();
  }
  return calls;
}

describe(`a flood of failing calls ten times CALLS_MAX_MB_PER_DAY (${CAP_MB} MB), through /ingest and HEP at once`, { timeout: 180_000 }, () => {
  it('keeps the day at its cap, the file near it and memory within the queues, and counts what it could not keep', async () => {
    const pid = served.child.pid ?? 0;
    const idleRss = status(pid, 'VmRSS');
    const [http, hepCalls] = await Promise.all([floodIngest(FLOOD_BYTES / 2), floodHep(FLOOD_BYTES / 2)]);
    expect(http.kept + http.overCap).toBe(http.bodies * 100);
    expect(http.overCap).toBeGreaterThan(0);

    // HEP calls are judged after their grace time and kept in batches: wait until nothing is pending and the
    // counts have stopped moving for two seconds.
    const deadline = Date.now() + 60_000;
    const moving = (x: Map<string, number>): string => [...x].filter(([k]) => k.startsWith('siptriage_ingest_dropped_total') || k.startsWith('siptriage_calls_total') || k.startsWith('siptriage_calls_kept_bytes')).map(([k, v]) => `${k}=${v}`).join();
    let m = await metrics();
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const next = await metrics();
      if (moving(next) !== moving(m) || (next.get('siptriage_calls_pending') ?? 1) > 0) stableSince = Date.now();
      m = next;
      if (Date.now() - stableSince >= 2000) break;
    }
    expect(served.alive()).toBe(true);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);

    const cap = CAP_MB * MIB;
    expect(m.get('siptriage_calls_kept_cap_bytes')).toBe(cap);
    const keptBytes = m.get('siptriage_calls_kept_bytes') ?? 0;
    expect(keptBytes).toBeLessThanOrEqual(cap);
    // Filled to within one call of the cap: the cap is where keeping stopped, not a number never reached.
    expect(keptBytes).toBeGreaterThan(cap - 2 * callOf('x').join('').length);
    // Every call judged is accounted for: kept, or counted as refused at the cap or shed by the keeper's queue.
    const judged = m.get('siptriage_calls_total{kind="failure",class="5xx",code="503",method="INVITE"}') ?? 0;
    expect(judged).toBe(http.bodies * 100 + hepCalls);
    const notKept = (m.get('siptriage_ingest_dropped_total{reason="calls-cap"}') ?? 0) + (m.get('siptriage_ingest_dropped_total{reason="calls-queue"}') ?? 0);
    const rows = new Database(join(dir, 'flood.db'), { readonly: true });
    const keptCalls = (rows.prepare('SELECT count(*) AS n FROM kept_calls').get() as { n: number }).n;
    rows.close();
    expect(keptCalls + notKept).toBe(judged);
    expect(keptCalls).toBeLessThan(judged / 5);

    // The store agrees with the gauge, and a kept call is whole (every message SIPp sent).
    const location = parseDatabaseUrl(databaseUrl);
    if (!location.ok) throw new Error(location.problem);
    const store = await openStore(location.location);
    try {
      expect(await store.calls?.keptBytes(Date.now())).toBe(keptBytes);
      const listed = (await store.calls?.findCalls({ from: Date.now() - 3_600_000, to: Date.now() + 1, limit: 500, code: 503 })) ?? [];
      expect(listed.length).toBeGreaterThan(0);
      const [one] = (await store.calls?.openCalls(listed[0]?.callId ?? '')) ?? [];
      expect(one?.trace.map((t) => t.raw.slice(0, t.raw.indexOf(' ')))).toEqual(MESSAGES.map((x) => x.slice(0, x.indexOf(' '))));
    } finally {
      await store.close();
    }

    // Memory: the keeper's queue (64 MiB at most) and HEP's packet queue bound the growth.
    const grown = status(pid, 'VmHWM') - idleRss;
    expect(grown).toBeLessThan(256 * MIB);
    // Disk while running: the WAL is bounded by its checkpoint size (wal_autocheckpoint, ~40 MiB).
    const wal = fileBytes(join(dir, 'flood.db-wal'));
    expect(wal).toBeLessThan(48 * MIB);
    // Disk at rest (stopped, checkpointed): the kept messages at the cap with their indexes, and one event
    // row per call, far under the 10 MB that arrived.
    await served.stop();
    const db = fileBytes(join(dir, 'flood.db')) + fileBytes(join(dir, 'flood.db-wal'));
    expect(db).toBeLessThan(3 * cap + 3 * MIB);
    console.info(`calls flood: ${http.bodies * 100} /ingest calls + ${hepCalls} HEP calls (TCP); kept ${keptCalls} calls, ${keptBytes} of ${cap} bytes; db ${db} B, wal ${wal} B; peak RSS +${Math.round(grown / MIB)} MiB over idle ${Math.round(idleRss / MIB)} MiB`);
  });
});
