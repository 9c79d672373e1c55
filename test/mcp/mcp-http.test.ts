import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startService, type Service } from '../../src/app/start.js';
import { memoryLogger } from '../adapters/slack/slack-service.js';
import { cliJson, firstText, ROOT } from './mcp-clients.js';

const TOKEN = 'mcp-test-token-0123456789abcdef';
const WILD = join(ROOT, 'test/fixtures/wild/plain/webrtc2sip-9-403-relaying-forbidden.txt');

describe('POST /mcp on the running service, with the SDK client', () => {
  let service: Service;
  let url: URL;
  const logs: string[] = [];
  beforeAll(async () => {
    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: ':memory:', MCP_TOKEN: TOKEN, MCP_MAX_BYTES: '65536' });
    if (!r.ok) throw new Error(r.error);
    service = await startService(r.config, memoryLogger(logs, 'info'), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
    url = new URL(`http://127.0.0.1:${service.address.port}/mcp`);
  });
  afterAll(async () => {
    await service?.stop();
  });

  const connect = async (token: string): Promise<Client> => {
    const client = new Client({ name: 'siptriage-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return client;
  };
  const post = (body: string, token = TOKEN): Promise<Response> =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body });

  it('lists the tools and answers explain and triage as the CLI does', async () => {
    const client = await connect(TOKEN);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call', 'calls', 'explain', 'ladder', 'probe', 'stats', 'triage']);
    const explain = await client.callTool({ name: 'explain', arguments: { query: '503' } });
    expect((explain.structuredContent as { card: unknown }).card).toEqual(await cliJson(['explain', '503', '--json']));
    const triage = await client.callTool({ name: 'triage', arguments: { trace: readFileSync(WILD, 'utf8') } });
    expect((triage.structuredContent as { report: unknown }).report).toEqual(await cliJson(['triage', WILD, '--json']));
    await client.close();
  });

  it('refuses a wrong or missing token with 401, and the SDK client cannot connect with it', async () => {
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const wrong = await post(init, 'not-the-token-at-all-0000');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await wrong.json()).toEqual({ error: 'missing or wrong bearer token' });
    const none = await fetch(url, { method: 'POST', body: init, headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    await expect(connect('not-the-token-at-all-0000')).rejects.toThrow(/missing or wrong bearer token/);
  });

  it('answers an oversized body 413 and malformed JSON 400, and keeps serving', async () => {
    const big = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'triage', arguments: { trace: 'x'.repeat(70_000) } } }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe('the body is over the 65536-byte limit (MCP_MAX_BYTES)');
    const broken = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: -32700 } });
    const client = await connect(TOKEN);
    const bad = await client.callTool({ name: 'ladder', arguments: { trace: 'INVITE', format: 'png' } });
    expect(bad.isError).toBe(true);
    expect(firstText(bad)).toMatch(/format/);
    expect((await client.callTool({ name: 'explain', arguments: { query: 'busy' } })).isError).toBeFalsy();
    await client.close();
    const health = await fetch(new URL('/healthz', url));
    expect(((await health.json()) as { surfaces: string[] }).surfaces).toContain('mcp');
  });
});
