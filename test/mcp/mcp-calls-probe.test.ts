import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { CallKeeper, keepReport } from '../../src/calls/call-keeper.js';
import { DEFAULT_CALLS_CONFIG } from '../../src/calls/calls-config.js';
import { runCalls } from '../../src/cli/calls-command.js';
import { createEngine } from '../../src/core/engine.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { createMcpServer } from '../../src/mcp/mcp-server.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { memoryIo } from '../cli/memory-io.js';
import { optionsResponder } from '../probes/probe-peers.js';
import { firstText, stdioClient } from './mcp-clients.js';

// The calls, call and probe tools: the same kept calls `siptriage calls` lists and opens, and probes that
// only go where the config allows. Kept calls are the real SIPp captures of test/fixtures/captures.
const dir = mkdtempSync(join(tmpdir(), 'siptriage-mcp-calls-'));
const DB = join(dir, 'store.db');
const capture = (f: string): Buffer => readFileSync(join(import.meta.dirname, '../fixtures/captures', f));
const engine = createEngine(loadKnowledge(), { maxTraceBytes: 1 << 22, maxCaptureBytes: 1 << 24, redact: { numbers: false, addresses: false } });
const busy = engine.triageBytes(capture('02-busy-486.pcap'), '02-busy-486.pcap').report;
const BUSY_ID = busy.calls.find((r) => r.call.failure?.message.status === 486)?.call.callId ?? '';
const NOW = Math.max(...busy.entries.flatMap((e) => e.message.meta.time ?? [])) + 60_000;
let store: SqliteStore;
let client: Client;

async function cli(args: string[]): Promise<{ calls: unknown[] }> {
  const { io, out } = memoryIo({ DATABASE_URL: `sqlite:${DB}` });
  await runCalls(args, io, NOW);
  return JSON.parse(out()) as { calls: unknown[] };
}

beforeAll(async () => {
  store = SqliteStore.open(DB);
  const keeper = new CallKeeper({ store: store.calls, config: { ...DEFAULT_CALLS_CONFIG, sampleAnswered: 0 }, metrics: createMetrics({ topPeers: 5, processMetrics: false }), log: createLogger({ level: 'silent', pretty: false }), now: () => NOW });
  for (const f of ['02-busy-486.pcap', '03-unavailable-503.pcap', '01-success-200.pcap']) keepReport(keeper, engine.triageBytes(capture(f), f).report, NOW, 'hep');
  await keeper.flush();
  const server = createMcpServer({
    engine,
    stats: () => Promise.resolve(undefined),
    calls: () => Promise.resolve({ calls: store.calls, redact: { numbers: false, addresses: false }, keepDays: 7 }),
    version: 'test',
    now: () => NOW,
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  client = new Client({ name: 'siptriage-test', version: '1.0.0' });
  await client.connect(b);
});
afterAll(async () => {
  await client?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the calls and call tools', () => {
  it('lists the same calls as `siptriage calls 486 --json`: exactly the busy call', async () => {
    expect(BUSY_ID).not.toBe('');
    const result = await client.callTool({ name: 'calls', arguments: { query: '486' } });
    expect(result.isError).toBeFalsy();
    const listed = (result.structuredContent as { calls: { callId: string }[] }).calls;
    expect(listed.map((c) => c.callId)).toEqual([BUSY_ID]);
    expect(listed).toEqual((await cli(['486', '--json'])).calls);
    expect(firstText(result)).toContain(`486 INVITE`);
  });

  it('opens a call with its INVITE and 486, the messages the CLI shows, and the triage report', async () => {
    const result = await client.callTool({ name: 'call', arguments: { callId: BUSY_ID } });
    expect(result.isError).toBeFalsy();
    const s = result.structuredContent as { report: { calls: { callId: string; final: { code: number } | null }[] }; legs: { messages: { raw: string }[] }[] };
    expect(s.legs).toEqual((await cli(['--call-id', BUSY_ID, '--json'])).calls);
    const raws = s.legs.flatMap((l) => l.messages.map((m) => m.raw.split('\r\n')[0] ?? ''));
    expect(raws.some((l) => l.startsWith('INVITE '))).toBe(true);
    expect(raws.some((l) => l.startsWith('SIP/2.0 486'))).toBe(true);
    expect(s.report.calls.find((c) => c.callId === BUSY_ID)?.final?.code).toBe(486);
  });

  it('answers a bad search and an unknown Call-ID in one sentence each', async () => {
    const bad = await client.callTool({ name: 'calls', arguments: { query: 'busy!!' } });
    expect(bad.isError).toBe(true);
    expect(firstText(bad)).toMatch(/is not a code, class \(5xx\), peer, number, Call-ID or period/);
    const unknown = await client.callTool({ name: 'call', arguments: { callId: 'nobody@nowhere' } });
    expect(unknown.isError).toBe(true);
    expect(firstText(unknown)).toBe('No kept call has that Call-ID (calls are kept 7 days).');
  });
});

describe('the probe tool over stdio, with the config of `siptriage mcp`', () => {
  it('probes an allowed target and refuses one the allow-list does not hold', async () => {
    const responder = await optionsResponder();
    const stdio = await stdioClient({ PROBE_ALLOW: '127.0.0.0/8', PROBE_ALLOW_PRIVATE: 'true', CALLS_KEEP: 'off' });
    try {
      const ok = await stdio.callTool({ name: 'probe', arguments: { target: `sip:127.0.0.1:${responder.port}` } });
      expect(ok.isError, firstText(ok)).toBeFalsy();
      expect(firstText(ok)).toContain('200');
      expect(responder.requests()).toBe(1);
      const refused = await stdio.callTool({ name: 'probe', arguments: { target: 'sip:203.0.113.7' } });
      expect(refused.isError).toBe(true);
      expect(firstText(refused)).toContain("203.0.113.7 is not on this siptriage's probe allow-list (PROBE_ALLOW)");
      expect(responder.requests()).toBe(1);
      const off = await stdio.callTool({ name: 'calls', arguments: { query: '503' } });
      expect(off.isError).toBe(true);
      expect(firstText(off)).toMatch(/keeps no calls/);
    } finally {
      await stdio.close();
      await responder.close();
    }
  }, 60_000);
});
