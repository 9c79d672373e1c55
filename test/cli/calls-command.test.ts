import { execFileSync } from 'node:child_process';
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

const dir = mkdtempSync(join(tmpdir(), 'siptriage-cli-calls-'));
const DB = join(dir, 'store.db');
// Real SIPp captures (test/fixtures/captures, PROVENANCE.md): a busy call, a 503 and an answered call.
const capture = (f: string): Buffer => readFileSync(join(import.meta.dirname, '../fixtures/captures', f));
const engine = createEngine(loadKnowledge(), { maxTraceBytes: 1 << 22, maxCaptureBytes: 1 << 24, redact: { numbers: false, addresses: false } });
const busy = engine.triageBytes(capture('02-busy-486.pcap'), '02-busy-486.pcap').report;
const BUSY_ID = busy.calls.find((r) => r.call.failure?.message.status === 486)?.call.callId ?? '';
let NOW = 0;

function io(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  return memoryIo({ DATABASE_URL: `sqlite:${DB}`, ...env });
}

beforeAll(async () => {
  const store = SqliteStore.open(DB);
  const times = busy.entries.flatMap((e) => e.message.meta.time ?? []);
  NOW = Math.max(...times) + 60_000;
  const keeper = new CallKeeper({ store: store.calls, config: { ...DEFAULT_CALLS_CONFIG, sampleAnswered: 0 }, metrics: createMetrics({ topPeers: 5, processMetrics: false }), log: createLogger({ level: 'silent', pretty: false }), now: () => NOW });
  for (const f of ['02-busy-486.pcap', '03-unavailable-503.pcap', '01-success-200.pcap']) keepReport(keeper, engine.triageBytes(capture(f), f).report, NOW, 'hep');
  await keeper.flush();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('siptriage calls', () => {
  it('lists exactly the busy calls for 486, by Call-ID, and all failing calls for 24h', async () => {
    expect(BUSY_ID).not.toBe('');
    const r = io();
    expect(await runCalls(['486', '--json'], r.io, NOW)).toBe(0);
    const listed = (JSON.parse(r.out()) as { calls: { callId: string; code: number }[] }).calls;
    expect(listed.map((c) => c.callId)).toEqual([BUSY_ID]);
    const all = io();
    expect(await runCalls(['24h', '--json'], all.io, NOW)).toBe(0);
    expect((JSON.parse(all.out()) as { calls: { code: number }[] }).calls.map((c) => c.code).sort()).toEqual([486, 503]);
    const text = io();
    expect(await runCalls(['5xx'], text.io, NOW)).toBe(0);
    expect(text.out()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}503 INVITE/);
  });

  it('opens one call by Call-ID with its INVITE and 486, and writes a pcap tshark reads back as the same SIP', async () => {
    const pcap = join(dir, 'busy.pcap');
    const r = io();
    expect(await runCalls(['--call-id', BUSY_ID, '--json', '--pcap', pcap], r.io, NOW)).toBe(0);
    const [call] = (JSON.parse(r.out()) as { calls: { messages: { raw: string; src: string }[] }[] }).calls;
    const starts = call?.messages.map((m) => m.raw.split(/\r?\n/)[0]) ?? [];
    expect(starts.some((s) => s?.startsWith('INVITE '))).toBe(true);
    expect(starts).toContain('SIP/2.0 486 Busy Here');
    const ports = new Set((call?.messages ?? []).map((m) => m.src.split(':').pop()));
    const decode = [...ports].flatMap((p) => ['-d', `udp.port==${p},sip`]);
    const lines = execFileSync('tshark', ['-r', pcap, '-n', ...decode, '-T', 'fields', '-e', 'sip.Request-Line', '-e', 'sip.Status-Line'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    expect(lines).toEqual(starts);
  });

  it('answers bad input with a usage line, and an unknown Call-ID with one sentence', async () => {
    const bad = io();
    expect(await runCalls(["x'; DROP TABLE kept_calls;--"], bad.io, NOW)).toBe(2);
    expect(bad.err()).toMatch(/is not a code, class/);
    const nopcap = io();
    expect(await runCalls(['--pcap', join(dir, 'x.pcap')], nopcap.io, NOW)).toBe(2);
    const none = io();
    expect(await runCalls(['--call-id', 'nobody@nowhere'], none.io, NOW)).toBe(1);
    expect(none.err()).toBe('siptriage: no kept call has that Call-ID (kept 7 days)\n');
    const off = io({ CALLS_KEEP: 'off' });
    expect(await runCalls(['486'], off.io, NOW)).toBe(1);
  });
});
