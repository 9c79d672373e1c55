import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService, type Service } from '../../src/app/start.js';
import { hepPackets } from '../core/hep/hep-fixtures.js';
import { parseExposition } from './metrics-reader.js';
import { rawText } from './raw-fixtures.js';

const TOKEN = 'ingest-token-0123456789abcdef';
let service: Service;
let base: string;

async function metrics(): Promise<Map<string, number>> {
  return parseExposition(await (await fetch(`${base}/metrics`)).text());
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

function post(body: string | Buffer, headers: Record<string, string>): Promise<Response> {
  return fetch(`${base}/ingest`, { method: 'POST', body, headers });
}

beforeAll(async () => {
  const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: ':memory:', HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: 'capture-s3cret', HEP_CALL_GRACE_SECONDS: '0.3', INGEST_TOKEN: TOKEN, INGEST_MAX_BYTES: '65536' });
  if (!r.ok) throw new Error(r.error);
  const io = new PassThrough();
  service = await startService(r.config, createLogger({ level: 'silent', pretty: false }), { input: io, output: new PassThrough(), isTTY: false });
  base = `http://127.0.0.1:${service.address.port}`;
});

afterAll(async () => {
  await service.stop();
});

describe('live ingest, as served', () => {
  it('receives Kamailio HEP over UDP and counts each call once, with the callee as peer', async () => {
    const port = service.ports.hep as number;
    const udp = createSocket('udp4');
    for (const p of hepPackets('hep3-ipv4-auth')) await new Promise<void>((res) => udp.send(p, port, '127.0.0.1', () => res()));
    udp.close();
    await until(async () => ((await metrics()).get('siptriage_calls_total{kind="failure",class="4xx",code="486",method="INVITE"}') ?? 0) >= 1);
    const m = await metrics();
    expect(m.get('siptriage_hep_packets_received_total{transport="udp"}')).toBe(22);
    expect(m.get('siptriage_calls_total{kind="failure",class="4xx",code="486",method="INVITE"}')).toBe(1);
    expect(m.get('siptriage_calls_total{kind="answered",class="2xx",code="200",method="INVITE"}')).toBe(1);
    expect(m.get('siptriage_sip_responses_total{class="4xx",code="486",method="INVITE"}')).toBe(2);
  });

  it('receives HEPv3 over TCP in arbitrary pieces, and drops a connection that sends garbage without harm', async () => {
    const port = service.ports.hep as number;
    const stream = Buffer.concat(hepPackets('hep3-ipv4-auth'));
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    for (let at = 0; at < stream.length; at += 333) socket.write(stream.subarray(at, at + 333));
    await until(async () => ((await metrics()).get('siptriage_hep_packets_received_total{transport="tcp"}') ?? 0) >= 22);
    const bad = connect(port, '127.0.0.1');
    bad.on('error', () => {});
    bad.write('GET / HTTP/1.1\r\n\r\n');
    await new Promise((r) => bad.once('close', r));
    socket.end();
    expect((await metrics()).get('siptriage_ingest_dropped_total{reason="malformed"}')).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses /ingest without the right bearer token, with a Bearer challenge', async () => {
    const none = await post('x', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await post('x', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post('x', { authorization: `Basic ${TOKEN}` })).status).toBe(401);
  });

  it('answers 413 to a body over INGEST_MAX_BYTES, declared or streamed', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await post(Buffer.alloc(70_000, 0x41), auth)).status).toBe(413);
    const chunked = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(8192).fill(0x41));
        c.close();
      },
    });
    const r = await fetch(`${base}/ingest`, { method: 'POST', body: chunked, headers: auth, duplex: 'half' } as RequestInit);
    expect(r.status).toBe(413);
  });

  it('records a pasted trace posted as text, by the triage counting rules', async () => {
    const r = await post(rawText('15-kamailio-503'), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ format: 'raw', calls: 1, recorded: 1 });
    expect((await metrics()).get('siptriage_calls_total{kind="failure",class="5xx",code="503",method="INVITE"}')).toBe(1);
    const none = await post('just words', { authorization: `Bearer ${TOKEN}` });
    expect(none.status).toBe(422);
    expect(await none.json()).toMatchObject({ recorded: 0, problems: [{ code: 'no-sip' }] });
  });

  it('records NDJSON events and reports the lines it refused', async () => {
    const lines = [
      JSON.stringify({ time: Date.now(), code: 480, method: 'INVITE', peer: '192.0.2.44', extra: 'ignored' }),
      JSON.stringify({ time: new Date().toISOString(), code: 480, peer: '192.0.2.44', callId: 'abc@x' }),
      JSON.stringify({ time: Date.now(), code: 99 }),
      'not json',
    ].join('\n');
    const r = await post(lines, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { recorded: number; rejected: number; errors: { line: number; error: string }[] };
    expect(body).toMatchObject({ recorded: 2, rejected: 2 });
    expect(body.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(body.errors[0]?.error).toMatch(/^code: /);
    expect((await metrics()).get('siptriage_calls_total{kind="failure",class="4xx",code="480",method="INVITE"}')).toBe(2);
    const allBad = await post('{"code":1}', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    expect(allBad.status).toBe(400);
  });

  it('serves Prometheus metrics with bounded peer labels and process metrics', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE siptriage_sip_responses_total counter');
    expect(text).toContain('siptriage_process_resident_memory_bytes');
    expect(text).toMatch(/siptriage_sip_responses_by_peer_total\{peer="(127\.0\.0\.1|other)",class="4xx"\}/);
  });
});
