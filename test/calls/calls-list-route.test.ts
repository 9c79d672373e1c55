import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService, type Service } from '../../src/app/start.js';

const INGEST = 'ingest-token-for-calls-list';
const METRICS = 'metrics-token-for-calls-list';
const auth = { authorization: `Bearer ${METRICS}` };
let service: Service;
let base = '';

// The B2BUA call of test/fixtures/legs (a 503 leg and a 500 leg) arrives by POST /ingest; GET /calls lists it.
beforeAll(async () => {
  const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: ':memory:', INGEST_TOKEN: INGEST, METRICS_TOKEN: METRICS, REDACT_NUMBERS: 'on' });
  if (!r.ok) throw new Error(r.error);
  service = await startService(r.config, createLogger({ level: 'silent', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
  base = `http://127.0.0.1:${service.address.port}`;
  const trace = readFileSync(join(import.meta.dirname, '../fixtures/legs/b2bua-xcid-503.txt'));
  expect((await fetch(`${base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'text/plain' }, body: trace })).status).toBe(200);
});
afterAll(async () => {
  await service.stop();
});

type Listed = { calls: { callId: string; code: number; from: string | null; ladder: string; trace: string }[] };

describe('GET /calls?code=&peer=&period=', () => {
  it('needs the bearer token (a dashboard link cannot be signed)', async () => {
    expect((await fetch(`${base}/calls?code=503`)).status).toBe(401);
  });

  it('lists kept calls by code as JSON, numbers masked, with ladder and trace links that open', async () => {
    const res = await fetch(`${base}/calls?code=503&period=1h&format=json`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Listed;
    expect(body.calls.map((c) => c.code)).toEqual([503]);
    const call = body.calls[0];
    expect(call?.from).not.toContain('4930123456');
    const ladder = await fetch(new URL(call?.ladder ?? '', `${base}/calls`), { headers: auth });
    expect(ladder.headers.get('content-type')).toBe('image/svg+xml');
    expect((await fetch(new URL(call?.trace ?? '', `${base}/calls`), { headers: auth })).headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const all = (await (await fetch(`${base}/calls?code=5xx&format=json`, { headers: auth })).json()) as Listed;
    expect(all.calls.map((c) => c.code).sort()).toEqual([500, 503]);
  });

  it('serves HTML a browser shows safely, and refuses a bad parameter', async () => {
    const res = await fetch(`${base}/calls?code=503`, { headers: auth });
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<h1>Kept calls: 503</h1>');
    expect(html).toMatch(/<a href="calls\/[^"]+">/);
    for (const bad of ['code=999x', 'peer=a%20call-id%20x', 'period=2d']) expect((await fetch(`${base}/calls?${bad}`, { headers: auth })).status, bad).toBe(400);
  });
});
