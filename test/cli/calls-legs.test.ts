import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { DEFAULT_CALLS_CONFIG } from '../../src/calls/calls-config.js';
import { CallKeeper, keepReport } from '../../src/calls/call-keeper.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCalls } from '../../src/cli/calls-command.js';
import { createEngine } from '../../src/core/engine.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { memoryIo } from './memory-io.js';

const dir = mkdtempSync(join(tmpdir(), 'siptriage-cli-legs-'));
const DB = join(dir, 'store.db');
const A = 'a1f3c9e27b5d4e80@192.0.2.10';
const B = 'a1f3c9e27b5d4e80-b2b@192.0.2.10';
let NOW = 0;

function io(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  return memoryIo({ DATABASE_URL: `sqlite:${DB}`, REDACT_ADDRESSES: 'off', CALLS_LEG_RULES: 'suffix:-b2b', ...env });
}

// The B2BUA trace whose B leg's Call-ID derives from the A leg's (test/fixtures/legs): kept as two calls,
// as live ingest would see them, then opened as one.
beforeAll(async () => {
  const text = readFileSync(join(import.meta.dirname, '../fixtures/legs/b2bua-suffix-503.txt'), 'utf8');
  const config = { ...DEFAULT_CALLS_CONFIG, legRules: [{ kind: 'suffix' as const, text: '-b2b' }] };
  const report = createEngine(loadKnowledge(), { maxTraceBytes: 1 << 20, redact: { numbers: false, addresses: false }, legs: config }).triage(text).report;
  NOW = Math.max(...report.entries.flatMap((e) => e.message.meta.time ?? [])) + 60_000;
  const store = SqliteStore.open(DB);
  const keeper = new CallKeeper({ store: store.calls, config, metrics: createMetrics({ topPeers: 5, processMetrics: false }), log: createLogger({ level: 'silent', pretty: false }), now: () => NOW });
  keepReport(keeper, report, NOW, 'hep');
  await keeper.flush();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('siptriage calls --call-id on a call through a B2BUA', () => {
  it('opens either leg as one call with both legs, and the triage names the B leg as the one that failed first', async () => {
    for (const id of [A, B]) {
      const r = io();
      expect(await runCalls(['--call-id', id], r.io, NOW), r.err()).toBe(0);
      // Kept with HEP's addresses, opened with them: the sender is named by address as well.
      expect(r.out().replace(/\s+/g, ' ')).toContain('The B leg got 503 Service Unavailable from the carrier (203.0.113.7:5060); the SBC answered the caller 500 Server Internal Error.');
      expect(r.out()).toContain('One call, 2 legs');
      const json = io();
      expect(await runCalls(['--call-id', id, '--json'], json.io, NOW)).toBe(0);
      expect((JSON.parse(json.out()) as { calls: { callId: string }[] }).calls.map((c) => c.callId).sort()).toEqual([A, B].sort());
    }
  });

  it('lists the legs as the two kept calls they are', async () => {
    const r = io();
    expect(await runCalls(['5xx', '--json'], r.io, NOW)).toBe(0);
    expect((JSON.parse(r.out()) as { calls: { callId: string; code: number }[] }).calls.map((c) => `${c.code} ${c.callId}`).sort()).toEqual([`500 ${A}`, `503 ${B}`]);
  });
});
