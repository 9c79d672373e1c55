import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { HttpServer } from '../../src/app/http-server.js';
import { sendJson } from '../../src/ports/http-route.js';

// Issue 13 item 8: HEAD on a GET route answered 405 (HEAD health checks failed), and every client that hung
// up mid-body left an "aborted" stack trace at error level.
const lines: Record<string, unknown>[] = [];
const log = pino({ base: null }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
const server = new HttpServer(log);
let base = '';
let port = 0;

beforeAll(async () => {
  server.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  server.route('POST', '/upload', async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    sendJson(res, 200, { bytes: Buffer.concat(chunks).length });
  });
  port = (await server.listen(0, '127.0.0.1')).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => server.close());

describe('the HTTP server', () => {
  it('answers HEAD on a GET route as GET would, with no body', async () => {
    const get = await fetch(`${base}/healthz`);
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(await head.text()).toBe('');
    expect(await get.json()).toEqual({ status: 'ok' });
  });

  it('still answers 405 with an Allow header for a method the path does not take', async () => {
    const del = await fetch(`${base}/healthz`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base}/upload`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('logs a body the client abandons as one warning line without a stack, and keeps serving', async () => {
    const before = lines.length;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(1000));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const deadline = Date.now() + 5000;
    while (lines.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const added = lines.slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ level: 40, code: 'CLIENT_ABORTED', path: '/upload' });
    expect(JSON.stringify(added[0])).not.toContain('stack');
    const ok = await fetch(`${base}/upload`, { method: 'POST', body: 'abc' });
    expect(await ok.json()).toEqual({ bytes: 3 });
  });
});
