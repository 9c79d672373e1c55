import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService, type Service } from '../../src/app/start.js';
import { linkKey, signedCallUrl } from '../../src/calls/call-links.js';

const INGEST = 'ingest-token-for-calls-route';
const METRICS = 'metrics-token-for-calls-route';
const A = 'a1f3c9e27b5d4e80@192.0.2.10';
const dir = mkdtempSync(join(tmpdir(), 'siptriage-calls-route-'));
let service: Service;
let base = '';
const auth = { authorization: `Bearer ${METRICS}` };
const key = linkKey({ token: METRICS });
const inADay = (): number => Math.floor(Date.now() / 1000) + 86_400;

// The B2BUA call (test/fixtures/legs) arrives by POST /ingest and is read back from GET /calls/ID.
beforeAll(async () => {
  const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: `sqlite:${join(dir, 'store.db')}`, INGEST_TOKEN: INGEST, METRICS_TOKEN: METRICS, REDACT_NUMBERS: 'on' });
  if (!r.ok) throw new Error(r.error);
  service = await startService(r.config, createLogger({ level: 'silent', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
  base = `http://127.0.0.1:${service.address.port}`;
  const trace = readFileSync(join(import.meta.dirname, '../fixtures/legs/b2bua-xcid-503.txt'));
  const res = await fetch(`${base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'text/plain' }, body: trace });
  expect(res.status).toBe(200);
  // The keeper writes within a second.
  for (let i = 0; i < 40; i++) {
    if ((await fetch(`${base}/calls/${encodeURIComponent(A)}`, { headers: auth })).status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await service.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /calls/CALL-ID', () => {
  it('needs the /metrics bearer token', async () => {
    const res = await fetch(`${base}/calls/${encodeURIComponent(A)}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="siptriage"');
    expect((await fetch(`${base}/calls/${encodeURIComponent(A)}`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
  });

  it('serves the ladder of the call with its other leg as SVG', async () => {
    const res = await fetch(`${base}/calls/${encodeURIComponent(A)}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await res.text();
    expect(svg.startsWith('<svg')).toBe(true);
    for (const host of ['192.0.2.10:5060', '198.51.100.5:5060', '203.0.113.5:5060', '203.0.113.7:5060']) expect(svg).toContain(host);
    expect(svg).toContain('503 Service Unavailable');
    expect(svg).toContain('500 Server Internal Error');
  });

  it('serves the trace of both legs as text, numbers masked as REDACT_NUMBERS says', async () => {
    const res = await fetch(`${base}/calls/${encodeURIComponent('SBC-7731-0042@203.0.113.5')}?format=trace`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    expect(text.match(/^(INVITE|ACK) sip:|^SIP\/2\.0 \d{3}/gm)).toHaveLength(8);
    expect(text).toContain('SIP/2.0 503 Service Unavailable');
    expect(text).not.toContain('4930123456');
    expect(text).not.toContain('493055501234');
  });

  it('answers 404 for a Call-ID not kept and 400 for a bad one', async () => {
    expect((await fetch(`${base}/calls/nobody%40nowhere`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/calls/%E0%A4%A`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${base}/calls/`, { headers: auth })).status).toBe(404);
  });
});

describe('signed links to GET /calls/CALL-ID (what alerts and the digest post)', () => {
  const link = (o: { callId?: string; format?: 'ladder' | 'trace'; expiresAt?: number; k?: Buffer }): string =>
    signedCallUrl({ publicUrl: base, key: o.k ?? key, callId: o.callId ?? A, ...(o.format === undefined ? {} : { format: o.format }), expiresAt: o.expiresAt ?? inADay() });

  it('opens the ladder without the bearer token, and the trace when the trace was signed', async () => {
    const res = await fetch(link({}));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect((await res.text()).startsWith('<svg')).toBe(true);
    const trace = await fetch(link({ format: 'trace' }));
    expect(trace.status).toBe(200);
    expect(await trace.text()).toContain('SIP/2.0 503 Service Unavailable');
  });

  it('refuses a tampered Call-ID, format or expiry, an expired link, and one signed with another key: 401, one sentence for all', async () => {
    const good = new URL(link({}));
    const otherCall = new URL(good);
    otherCall.pathname = `/calls/${encodeURIComponent('SBC-7731-0042@203.0.113.5')}`;
    const later = new URL(good);
    later.searchParams.set('exp', String(inADay() + 86_400));
    const asTrace = new URL(good);
    asTrace.searchParams.set('format', 'trace');
    const expired = link({ expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const otherKey = link({ k: Buffer.from('not the key siptriage signs with') });
    const bodies = new Set<string>();
    for (const url of [otherCall.href, later.href, asTrace.href, expired, otherKey]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(401);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/expired or is not valid/);
      bodies.add(body.error);
    }
    expect(bodies.size).toBe(1);
  });

  it('still takes the bearer token, with or without a signature', async () => {
    const expired = link({ expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expect((await fetch(expired, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/calls/${encodeURIComponent(A)}`, { headers: auth })).status).toBe(200);
  });
});

describe('GET /calls/CALL-ID with neither METRICS_TOKEN nor CALLS_LINK_SECRET', () => {
  it('is open, as /metrics is: no token, no signature needed', async () => {
    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: ':memory:', INGEST_TOKEN: INGEST, PUBLIC_URL: 'https://siptriage.example.com/' });
    if (!r.ok) throw new Error(r.error);
    expect(r.config.callLinks.publicUrl).toBe('https://siptriage.example.com');
    const open = await startService(r.config, createLogger({ level: 'silent', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
    try {
      const url = `http://127.0.0.1:${open.address.port}`;
      const trace = readFileSync(join(import.meta.dirname, '../fixtures/legs/b2bua-xcid-503.txt'));
      expect((await fetch(`${url}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'text/plain' }, body: trace })).status).toBe(200);
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        status = (await fetch(`${url}/calls/${encodeURIComponent(A)}`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
