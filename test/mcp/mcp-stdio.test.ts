import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, firstText, ROOT, stdioClient } from './mcp-clients.js';

// A real paste from a public thread (source in test/fixtures/wild/manifest.json): webrtc2sip answering 403.
const WILD = join(ROOT, 'test/fixtures/wild/plain/webrtc2sip-9-403-relaying-forbidden.txt');
const CAPTURE = join(ROOT, 'test/fixtures/captures/03-unavailable-503.pcapng');

describe('siptriage mcp over stdio, with the SDK client', () => {
  let client: Client;
  beforeAll(async () => {
    client = await stdioClient();
  }, 30_000);
  afterAll(async () => {
    await client?.close();
  });

  it('lists the read-only tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['call', 'calls', 'explain', 'ladder', 'probe', 'stats', 'triage']);
    expect(byName.get('explain')?.inputSchema).toMatchObject({ type: 'object', properties: { query: { type: 'string' } }, required: ['query'] });
    expect(Object.keys(byName.get('triage')?.inputSchema.properties ?? {}).sort()).toEqual(['captureBase64', 'filename', 'trace']);
    expect(byName.get('triage')?.outputSchema).toMatchObject({ type: 'object', properties: { report: { type: 'object' }, summary: { type: 'string' } } });
    for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);
  });

  it('explain 503 answers the same card as `siptriage explain 503 --json`', async () => {
    const result = await client.callTool({ name: 'explain', arguments: { query: '503' } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { card: unknown }).card).toEqual(await cliJson(['explain', '503', '--json']));
    expect(firstText(result).split('\n')[0]).toBe('503 Service Unavailable');
  });

  it('triage of a real pasted trace answers the same report as `siptriage triage --json`', async () => {
    const trace = readFileSync(WILD, 'utf8');
    const result = await client.callTool({ name: 'triage', arguments: { trace } });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { report: { calls: { final: { code: number } | null }[] }; summary: string };
    expect(structured.report).toEqual(await cliJson(['triage', WILD, '--json']));
    expect(structured.report.calls.some((c) => c.final?.code === 403)).toBe(true);
    expect(structured.summary).toContain('403');
  });

  it('triages a pcapng sent as base64, as the CLI does the file', async () => {
    const captureBase64 = readFileSync(CAPTURE).toString('base64');
    const result = await client.callTool({ name: 'triage', arguments: { captureBase64, filename: '03-unavailable-503.pcapng' } });
    expect((result.structuredContent as { report: unknown }).report).toEqual(await cliJson(['triage', CAPTURE, '--json']));
  });

  it('draws the ladder as Mermaid, failing call first', async () => {
    const result = await client.callTool({ name: 'ladder', arguments: { trace: readFileSync(WILD, 'utf8'), format: 'mermaid' } });
    const structured = result.structuredContent as { diagram: string; calls: string[] };
    expect(structured.diagram).toMatch(/^sequenceDiagram/m);
    expect(structured.diagram).toContain('403');
    expect(structured.calls.length).toBeGreaterThan(0);
  });

  it('answers stats from the store it opens on first use', async () => {
    const result = await client.callTool({ name: 'stats', arguments: { range: '7d', by: 'class' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ range: '7d', by: 'class', failures: 0, rows: [] });
  });

  it('serves the code cards as resources an assistant can cite', async () => {
    const { resources } = await client.listResources();
    expect(resources.find((r) => r.uri === 'siptriage://codes/486')?.name).toBe('486 Busy Here');
    const read = await client.readResource({ uri: 'siptriage://codes/486' });
    expect((read.contents[0] as { text: string }).text.split('\n')[0]).toBe('486 Busy Here');
  });

  it('answers malformed and oversized calls with one clear error, and keeps serving', async () => {
    const wrongType = await client.callTool({ name: 'explain', arguments: { query: 503 } });
    expect(wrongType.isError).toBe(true);
    expect(firstText(wrongType)).toMatch(/query/);
    const both = await client.callTool({ name: 'triage', arguments: { trace: 'x', captureBase64: 'eA==' } });
    expect(both).toMatchObject({ isError: true });
    expect(firstText(both)).toBe('Give exactly one of trace (text) or captureBase64 (a pcap or pcapng file).');
    const big = await client.callTool({ name: 'triage', arguments: { trace: 'INVITE sip:a@b SIP/2.0\r\n'.repeat(120_000) } });
    expect(firstText(big)).toMatch(/^The trace is \d+ bytes; the limit is 2097152 \(MAX_TRACE_BYTES\)\.$/);
    const notSip = await client.callTool({ name: 'triage', arguments: { trace: 'hello, is this thing on?' } });
    expect(notSip.isError).toBe(true);
    await expect(client.callTool({ name: 'drop-tables', arguments: {} })).resolves.toMatchObject({ isError: true });
    // Still serving.
    const after = await client.callTool({ name: 'explain', arguments: { query: '486' } });
    expect((after.structuredContent as { card: { code: number } }).card.code).toBe(486);
  });
});
