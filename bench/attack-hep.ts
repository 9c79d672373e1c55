import { connect, type Socket } from 'node:net';
import { parseExposition } from '../test/ingest/metrics-reader.js';
import { startServed, type ServedProcess } from '../test/attack/served-process.js';
import { hepTraffic } from './ingest-traffic.js';
import type { BenchResult } from './stats.js';

const PASSWORD = 'bench-capture-s3cret';
const IDLE_SOCKETS = 600;
const ROUNDS = 20;
const SETTLED_MS = 1500;

/**
 * Issue 13 item 5 as figures: an agent streams HEPv3 over TCP (real SIPp call flows from the fixtures, each
 * call with a Call-ID of its own, as bench ingest sends them) to the service in its own process (default
 * HEP_TCP_MAX_CONNECTIONS of 512), first with no other connection open (the baseline), then with 600
 * connections open that never send a byte. Calls counted are read from /metrics as a scrape would.
 */
export async function benchAttackHep(): Promise<BenchResult[]> {
  const served = await startServed(
    { DATABASE_URL: ':memory:', HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: PASSWORD, HEP_CALL_GRACE_SECONDS: '0.3' },
    'HEP collector listening (UDP and TCP)',
  );
  const idle: Socket[] = [];
  try {
    // Three sets of calls with Call-IDs of their own: a warm-up (JIT, first store writes; not reported),
    // the baseline, and the run beside the silent connections.
    const packets = hepTraffic(3 * ROUNDS, undefined, PASSWORD);
    const third = packets.length / 3;
    await agentRun(served, packets.slice(0, third));
    const baseline = await agentRun(served, packets.slice(third, 2 * third));

    const t0 = performance.now();
    for (let i = 0; i < IDLE_SOCKETS; i++) {
      const s = await open(served.hepPort());
      s.on('error', () => {});
      idle.push(s);
    }
    const openMs = performance.now() - t0;
    const attacked = await agentRun(served, packets.slice(2 * third));
    const m = await metrics(served);
    const evicted = m.get('siptriage_hep_tcp_closed_total{reason="evicted"}') ?? 0;
    const stillOpen = idle.filter((s) => !s.destroyed).length;
    return [
      { name: `baseline: agent alone, calls counted (${third} packets)`, value: baseline.calls, unit: 'calls' },
      { name: 'baseline: agent alone, first packet → last call counted', value: baseline.ms, unit: 'ms' },
      { name: `${IDLE_SOCKETS} silent connections: time to open them all`, value: openMs, unit: 'ms' },
      { name: `${IDLE_SOCKETS} silent connections: agent's calls counted`, value: attacked.calls, unit: 'calls', ratio: { value: attacked.calls / baseline.calls, against: 'agent alone' } },
      { name: `${IDLE_SOCKETS} silent connections: first packet → last call counted`, value: attacked.ms, unit: 'ms', ratio: { value: attacked.ms / baseline.ms, against: 'agent alone' } },
      { name: `${IDLE_SOCKETS} silent connections: agent's connection closed by the service (0 = kept)`, value: attacked.closed ? 1 : 0, unit: '' },
      { name: 'silent connections evicted to make room (counted in /metrics)', value: evicted, unit: 'connections' },
      { name: 'silent connections still open at the end', value: stillOpen, unit: 'connections' },
    ];
  } finally {
    for (const s of idle) s.destroy();
    await served.stop();
  }
}

/** One agent connection sends `packets`; resolves once the calls counter has not moved for 1.5 s. */
async function agentRun(served: ServedProcess, packets: readonly Buffer[]): Promise<{ calls: number; ms: number; closed: boolean }> {
  const before = callsCounted(await metrics(served));
  const agent = await open(served.hepPort());
  let closed = false;
  agent.on('error', () => {});
  agent.on('close', () => (closed = true));
  const t0 = performance.now();
  agent.write(Buffer.concat(packets));
  let last = before;
  let lastChange = performance.now();
  while (performance.now() - lastChange < SETTLED_MS && performance.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 50));
    const now = callsCounted(await metrics(served));
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
  }
  const wasClosed = closed;
  agent.destroy();
  return { calls: last - before, ms: lastChange - t0, closed: wasClosed };
}

function callsCounted(m: Map<string, number>): number {
  let n = 0;
  for (const [k, v] of m) if (k.startsWith('siptriage_calls_total{')) n += v;
  return n;
}

async function metrics(s: ServedProcess): Promise<Map<string, number>> {
  return parseExposition(await (await fetch(`${s.base}/metrics`)).text());
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}
