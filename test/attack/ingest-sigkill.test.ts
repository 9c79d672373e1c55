import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNdjsonEvents } from '../../src/ingest/ndjson-events.js';
import { openStore } from '../../src/store/open-store.js';
import { parseDatabaseUrl } from '../../src/store/store-location.js';
import { dropSchemas, PG_SKIP_REASON, PG_URL, uniqueSchema } from '../store/pg-test-db.js';
import { startServed } from './served-process.js';

// Issue 13 item 2: /ingest answered 200 once events were queued, and a SIGKILL lost what was queued. Now an
// answer means committed: the service is killed while four senders stream, and every event it acknowledged
// must be in the store afterwards (re-recording them finds each one already there).
const TOKEN = 'attack-ingest-token-0123456789';
const SENDERS = 4;
const PER_REQUEST = 100;
const KILL_AFTER = 3_000;

const dir = mkdtempSync(join(tmpdir(), 'siptriage-sigkill-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (PG_URL !== undefined) await dropSchemas(PG_URL, schemas);
});

const engines: [string, () => string, boolean][] = [
  ['SQLite', () => `sqlite:${join(dir, 'ingest.db')}`, false],
  [
    PG_URL === undefined ? `PostgreSQL (${PG_SKIP_REASON})` : 'PostgreSQL',
    () => {
      const url = new URL(PG_URL ?? 'postgres://x');
      const schema = uniqueSchema('sigkill');
      schemas.push(schema);
      url.searchParams.set('schema', schema);
      return url.toString();
    },
    PG_URL === undefined,
  ],
];

// A real SIPp call answered 503 (test/fixtures/traces/raw, PROVENANCE.md), sent CALLS_PER_TRACE times a body
// under Call-IDs of its own: each acknowledged trace promises its failing calls are kept.
const SIPP_503 = readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/03-unavailable-503.sip'), 'utf8');
const SIPP_503_CALL_ID = '1-1e708cbbde3f307a@uac.example.com';
const CALLS_PER_TRACE = 10;
const KILL_AFTER_CALLS = 400;

function traceBody(sender: number, request: number): { body: string; callIds: string[] } {
  const callIds = Array.from({ length: CALLS_PER_TRACE }, (_, i) => `kept-${sender}-${request}-${i}-${process.pid}@uac.example.com`);
  return { body: callIds.map((id) => SIPP_503.replaceAll(SIPP_503_CALL_ID, id)).join('\n'), callIds };
}

function lines(sender: number, request: number, now: number): string {
  const out: string[] = [];
  for (let i = 0; i < PER_REQUEST; i++) {
    out.push(JSON.stringify({ time: now, code: 503, peer: '203.0.113.7', callId: `kill-${sender}-${request}-${i}` }));
  }
  return out.join('\n');
}

for (const [name, databaseUrl, skip] of engines) {
  describe.skipIf(skip)(`SIGKILL during an /ingest stream (${name})`, { timeout: 120_000 }, () => {
    it('loses none of the events it acknowledged', async () => {
      const url = databaseUrl();
      const served = await startServed({ DATABASE_URL: url, INGEST_TOKEN: TOKEN });
      const now = Date.now();
      const acked: string[] = [];
      let killed = false;
      const sender = async (s: number): Promise<void> => {
        for (let r = 0; !killed; r++) {
          const body = lines(s, r, now);
          try {
            const res = await fetch(`${served.base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
            const answer = (await res.json()) as { recorded?: number };
            if (res.status === 200 && answer.recorded === PER_REQUEST) acked.push(body);
          } catch {
            return; // the connection died with the process: not acknowledged
          }
          if (acked.length * PER_REQUEST >= KILL_AFTER && !killed) {
            killed = true;
            served.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
      expect(await served.exited).toBe('SIGKILL');
      expect(acked.length * PER_REQUEST).toBeGreaterThanOrEqual(KILL_AFTER);

      const location = parseDatabaseUrl(url);
      if (!location.ok) throw new Error(location.problem);
      const store = await openStore(location.location);
      try {
        const events = acked.flatMap((body) => parseNdjsonEvents(body, { now, retentionMs: 86_400_000 }).flatMap((l) => (l.ok ? [{ ...l.event, surface: 'http' as const, workspace: null, channel: null }] : [])));
        expect(events.length).toBe(acked.length * PER_REQUEST);
        const again = await store.recordEvents(events);
        expect({ missing: again.inserted, found: again.duplicates }).toEqual({ missing: 0, found: events.length });
      } finally {
        await store.close();
      }
    });

    it('loses none of the calls it kept for a trace it acknowledged', async () => {
      const url = databaseUrl();
      const served = await startServed({ DATABASE_URL: url, INGEST_TOKEN: TOKEN });
      const acked: string[] = [];
      let killed = false;
      const sender = async (s: number): Promise<void> => {
        for (let r = 0; !killed; r++) {
          const { body, callIds } = traceBody(s, r);
          try {
            const res = await fetch(`${served.base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body });
            const answer = (await res.json()) as { kept?: number };
            if (res.status === 200 && answer.kept === CALLS_PER_TRACE) acked.push(...callIds);
          } catch {
            return;
          }
          if (acked.length >= KILL_AFTER_CALLS && !killed) {
            killed = true;
            served.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
      expect(await served.exited).toBe('SIGKILL');
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_CALLS);

      const location = parseDatabaseUrl(url);
      if (!location.ok) throw new Error(location.problem);
      const store = await openStore(location.location);
      try {
        const missing: string[] = [];
        for (const callId of acked) {
          const [call] = (await store.calls?.openCalls(callId)) ?? [];
          const starts = call?.trace.map((m) => m.raw.slice(0, m.raw.indexOf('\r\n'))) ?? [];
          if (call?.code !== 503 || !starts.includes('SIP/2.0 503 Service Unavailable') || !starts.some((l) => l.startsWith('INVITE '))) missing.push(callId);
        }
        expect({ acknowledged: acked.length, missing }).toEqual({ acknowledged: acked.length, missing: [] });
      } finally {
        await store.close();
      }
    });
  });
}
