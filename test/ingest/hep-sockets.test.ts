import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { HepCollector } from '../../src/ingest/hep-collector.js';
import { listenHep } from '../../src/ingest/hep-sockets.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';

// HEP_PORT=0: the OS picks the UDP port and TCP must take the same number. A port already held for TCP (in
// CI, by the ephemeral ports of other tests' connections) made TCP fail with EADDRINUSE and the collector
// stay off, seen as a service that never said it was listening. Here 4,000 TCP listeners hold ports of the
// ephemeral range, so that some of 80 picks collide (each about 14 %); every listen must still succeed.
const kb = loadKnowledge();
const log = createLogger({ level: 'silent', pretty: false });
// The debug lines listenHep writes when it picks again: how many collisions the test really caused.
let picksAgain = 0;
const counting = pino({ level: 'debug' }, new Writable({ write(chunk: Buffer, _enc, done) {
  if (chunk.toString().includes('picking another')) picksAgain++;
  done();
} }));
const held: Server[] = [];

beforeAll(async () => {
  for (let i = 0; i < 4000; i++) {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    held.push(s);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(held.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('listenHep on port 0', () => {
  it('gives UDP and TCP one port each time, picking again when TCP finds the UDP port taken', async () => {
    const taken = new Set(held.map((s) => (s.address() as { port: number }).port));
    for (let i = 0; i < 80; i++) {
      const metrics = createMetrics({ topPeers: 5, processMetrics: false });
      const collector = new HepCollector({ kb, metrics, log, maxOpenCalls: 10, queuePackets: 10, onEvents: () => undefined });
      const sockets = await listenHep(collector, 0, '127.0.0.1', counting, metrics);
      expect(sockets.tcp.port).toBe(sockets.udp.port);
      expect(taken.has(sockets.udp.port)).toBe(false);
      await sockets.close();
      collector.stop();
    }
    // About eleven collisions are expected; with none, this run proved nothing about picking again.
    console.info(`listenHep: ${picksAgain} picks collided with a TCP port and were made again`);
    expect(picksAgain).toBeGreaterThan(0);
  }, 60_000);

  it('still refuses a fixed HEP_PORT whose TCP side is taken, naming the cause', async () => {
    const port = (held[0]?.address() as { port: number }).port;
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const collector = new HepCollector({ kb, metrics, log, maxOpenCalls: 10, queuePackets: 10, onEvents: () => undefined });
    await expect(listenHep(collector, port, '127.0.0.1', log, metrics)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    collector.stop();
  });
});
