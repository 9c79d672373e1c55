import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hepPackets } from '../core/hep/hep-fixtures.js';
import { parseExposition } from '../ingest/metrics-reader.js';
import { startServed, type ServedProcess } from './served-process.js';

// Issue 13 item 5: 512 TCP connections that never sent a byte filled every slot for good, a frame announcing
// 65,535 bytes and sending 100 was held for ever, and a real agent was closed at once, uncounted.
const PASSWORD = 'capture-s3cret';
const IDLE_SOCKETS = 600;
const READY = 'HEP collector listening (UDP and TCP)';
const hepEnv = { DATABASE_URL: ':memory:', HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: PASSWORD, HEP_CALL_GRACE_SECONDS: '0.3' };

async function metrics(s: ServedProcess): Promise<Map<string, number>> {
  return parseExposition(await (await fetch(`${s.base}/metrics`)).text());
}

async function until(check: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

const closed = (s: Socket): Promise<void> => new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('HEP over TCP under a lock-out attack (served process, default connection limit)', () => {
  let served: ServedProcess;
  const idle: Socket[] = [];
  beforeAll(async () => {
    served = await startServed({ ...hepEnv, HEP_TCP_FRAME_SECONDS: '1' }, READY);
  }, 60_000);
  afterAll(async () => {
    for (const s of idle) s.destroy();
    await served?.stop();
  });

  it(`accepts and counts a real agent's calls while ${IDLE_SOCKETS} silent connections are open`, { timeout: 60_000 }, async () => {
    for (let i = 0; i < IDLE_SOCKETS; i++) {
      const s = await open(served.hepPort());
      s.on('error', () => {});
      idle.push(s);
    }
    const agent = await open(served.hepPort());
    agent.write(Buffer.concat(hepPackets('hep3-ipv4-auth')));
    const failures = 'siptriage_calls_total{kind="failure",class="4xx",code="486",method="INVITE"}';
    await until(async () => ((await metrics(served)).get(failures) ?? 0) >= 1);
    const m = await metrics(served);
    expect(m.get('siptriage_hep_packets_received_total{transport="tcp"}')).toBe(22);
    expect(m.get(failures)).toBe(1);
    expect(m.get('siptriage_calls_total{kind="answered",class="2xx",code="200",method="INVITE"}')).toBe(1);
    // The quietest made room: at least the 600 + 1 - 512 over the limit were closed, each counted.
    expect(m.get('siptriage_hep_tcp_closed_total{reason="evicted"}')).toBeGreaterThanOrEqual(IDLE_SOCKETS + 1 - 512);
    expect(agent.destroyed).toBe(false);
    agent.destroy();
  });

  it('closes a connection that announces a 65,535-byte frame and sends 100 bytes, and counts it', async () => {
    const s = await open(served.hepPort());
    s.on('error', () => {});
    const head = Buffer.alloc(100);
    head.write('HEP3', 0, 'latin1');
    head.writeUInt16BE(65_535, 4);
    s.write(head);
    await closed(s);
    await until(async () => ((await metrics(served)).get('siptriage_hep_tcp_closed_total{reason="incomplete-frame"}') ?? 0) >= 1);
    expect((await metrics(served)).get('siptriage_hep_tcp_closed_total{reason="incomplete-frame"}')).toBe(1);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
  });
});

describe('HEP over TCP idle timeout (served process, HEP_TCP_IDLE_SECONDS=1)', () => {
  let served: ServedProcess;
  beforeAll(async () => {
    served = await startServed({ ...hepEnv, HEP_TCP_IDLE_SECONDS: '1' }, READY);
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
  });

  it('closes a connection that never sends a byte, and counts it as idle', async () => {
    const s = await open(served.hepPort());
    s.on('error', () => {});
    await closed(s);
    await until(async () => ((await metrics(served)).get('siptriage_hep_tcp_closed_total{reason="idle"}') ?? 0) >= 1);
    expect((await metrics(served)).get('siptriage_hep_tcp_closed_total{reason="idle"}')).toBe(1);
  });
});
