import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseNdjsonEvents } from '../src/ingest/ndjson-events.js';
import { openStore } from '../src/store/open-store.js';
import { parseDatabaseUrl } from '../src/store/store-location.js';
import { startServed } from '../test/attack/served-process.js';
import type { BenchResult } from './stats.js';

const TOKEN = 'bench-ingest-token-0123456789';
const SENDERS = 4;
const PER_REQUEST = 100;
const KILL_AFTER = 20_000;

/**
 * Issue 13 item 2 as counts: four senders stream NDJSON to /ingest of the service in its own process, which is
 * SIGKILLed once 20,000 events are acknowledged; afterwards every acknowledged event is looked for in the
 * store (recording it again finds it already there, or inserts it: missing). SQLite always; PostgreSQL when
 * TEST_DATABASE_URL or DATABASE_URL names one. The acknowledged rate is set against the same stream's rate
 * into a store that is never killed, in the same run.
 */
export async function benchAttackIngest(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-bench-sigkill-'));
  const out: BenchResult[] = [];
  const schemas: string[] = [];
  const url = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  const pgUrl = url !== undefined && /^postgres(ql)?:/.test(url) ? url : undefined;
  try {
    out.push(...(await engine('SQLite', (n) => `sqlite:${join(dir, `ingest-${n}.db`)}`)));
    if (pgUrl === undefined) {
      out.push({ name: 'PostgreSQL: skipped (set TEST_DATABASE_URL or DATABASE_URL to a postgres:// URL)', value: 0, unit: '' });
    } else {
      out.push(
        ...(await engine('PostgreSQL', (n) => {
          const u = new URL(pgUrl);
          const schema = `bench_sigkill_${process.pid}_${n}`;
          schemas.push(schema);
          u.searchParams.set('schema', schema);
          return u.toString();
        })),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (pgUrl !== undefined && schemas.length > 0) {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await client.end();
    }
  }
  return out;
}

async function engine(name: string, databaseUrl: (n: number) => string): Promise<BenchResult[]> {
  const calm = await stream(databaseUrl(0), false);
  const killed = await stream(databaseUrl(1), true);
  const calmRate = (calm.acked.length * PER_REQUEST) / (calm.ms / 1000);
  const rate = (killed.acked.length * PER_REQUEST) / (killed.ms / 1000);
  const { missing, found } = await lookUp(databaseUrl(1), killed.acked, killed.now);
  const acked = killed.acked.length * PER_REQUEST;
  return [
    { name: `${name}: baseline: acknowledged events/s, ${SENDERS} senders, no kill`, value: calmRate, unit: 'events/s' },
    { name: `${name}: acknowledged events/s until the SIGKILL`, value: rate, unit: 'events/s', ratio: { value: rate / calmRate, against: 'no kill' } },
    { name: `${name}: events acknowledged before the SIGKILL`, value: acked, unit: 'events' },
    { name: `${name}: requests in flight at the SIGKILL (not acknowledged)`, value: killed.unanswered, unit: 'requests' },
    { name: `${name}: acknowledged events found in the store`, value: found, unit: 'events', ratio: { value: found / acked, against: 'acknowledged' } },
    { name: `${name}: acknowledged events lost (target 0)`, value: missing, unit: 'events' },
  ];
}

interface Streamed {
  readonly acked: string[];
  readonly unanswered: number;
  readonly ms: number;
  readonly now: number;
}

/** Streams until KILL_AFTER events are acknowledged; then SIGKILL (or SIGTERM for the baseline). */
async function stream(databaseUrl: string, kill: boolean): Promise<Streamed> {
  const served = await startServed({ DATABASE_URL: databaseUrl, INGEST_TOKEN: TOKEN });
  const now = Date.now();
  const acked: string[] = [];
  let unanswered = 0;
  let done = false;
  const t0 = performance.now();
  let ms = 0;
  const sender = async (s: number): Promise<void> => {
    for (let r = 0; !done; r++) {
      const body = Array.from({ length: PER_REQUEST }, (_, i) => JSON.stringify({ time: now, code: 503, peer: '203.0.113.7', callId: `bench-${s}-${r}-${i}` })).join('\n');
      try {
        const res = await fetch(`${served.base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
        const answer = (await res.json()) as { recorded?: number };
        if (res.status === 200 && answer.recorded === PER_REQUEST) acked.push(body);
      } catch {
        unanswered++;
        return;
      }
      if (acked.length * PER_REQUEST >= KILL_AFTER && !done) {
        done = true;
        ms = performance.now() - t0;
        if (kill) served.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
  if (kill) await served.exited;
  else await served.stop();
  return { acked, unanswered, ms, now };
}

async function lookUp(databaseUrl: string, acked: readonly string[], now: number): Promise<{ missing: number; found: number }> {
  const location = parseDatabaseUrl(databaseUrl);
  if (!location.ok) throw new Error(location.problem);
  const store = await openStore(location.location);
  try {
    const events = acked.flatMap((body) => parseNdjsonEvents(body, { now, retentionMs: 86_400_000 }).flatMap((l) => (l.ok ? [{ ...l.event, surface: 'http' as const, workspace: null, channel: null }] : [])));
    const again = await store.recordEvents(events);
    return { missing: again.inserted, found: again.duplicates };
  } finally {
    await store.close();
  }
}
