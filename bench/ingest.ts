import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { HttpServer } from '../src/app/http-server.js';
import { sendJson } from '../src/ports/http-route.js';
import { createLogger } from '../src/app/logger.js';
import { createMetrics } from '../src/app/metrics.js';
import { decodeHep } from '../src/core/hep/decode-hep.js';
import { EventRecorder } from '../src/ingest/event-recorder.js';
import { HepCollector } from '../src/ingest/hep-collector.js';
import { listenHep } from '../src/ingest/hep-sockets.js';
import { udpKernelDrops } from '../src/ingest/udp-drops.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';
import { hepTraffic, MESSAGES_PER_ROUND } from './ingest-traffic.js';
import { percentile, type BenchResult } from './stats.js';

const kb = loadKnowledge();
const log = createLogger({ level: 'silent', pretty: false });
const SENDER = fileURLToPath(new URL('./ingest-sender.ts', import.meta.url));
const TARGET = 50_000;
const nowUs = (): number => (performance.timeOrigin + performance.now()) * 1000;

function pipeline(options: { now?: () => number; queuePackets?: number; findings?: 'auto' | 'off' | 'always' } = {}) {
  const metrics = createMetrics({ topPeers: 20, processMetrics: false });
  const recorder = new EventRecorder({ store: undefined, metrics, log });
  const collector = new HepCollector({
    kb, metrics, log, maxOpenCalls: 50_000, queuePackets: options.queuePackets ?? 20_000, timers: { graceMs: 2000 },
    onEvents: (e) => recorder.record(e, 'hep'),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.findings === undefined ? {} : { findings: options.findings }),
  });
  return { collector, metrics, recorder };
}

function send(port: number, rate: number, ms: number, stamp: boolean, transport: 'udp' | 'tcp' = 'udp'): Promise<{ sent: number; ms: number }> {
  const child = fork(SENDER, [String(port), String(rate), String(ms), stamp ? 'stamp' : 'no', transport], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as { sent: number; ms: number }));
    child.once('error', reject);
  });
}

/** Baseline: how many datagrams per second a Node UDP socket receives here when it does nothing with them. */
async function bareUdp(ms: number): Promise<{ rate: number; offered: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  socket.setRecvBufferSize(8 * 1024 * 1024);
  let received = 0;
  socket.on('message', () => received++);
  const { sent, ms: took } = await send(socket.address().port, 0, ms, false);
  await new Promise((r) => setTimeout(r, 200));
  socket.close();
  return { rate: (received / took) * 1000, offered: (sent / took) * 1000 };
}

/**
 * The whole pipeline on one core, as deployed: packets offered to the queue in bursts, drained in slices,
 * calls closed and triaged in their own slices (full parse, grouping and rules; with `findings: 'off'` the
 * counting rules only). The rate is per CPU second of this process, so other load on the machine does not
 * count against it; the wall-clock rate is shown next to it.
 */
async function inProcess(findings: 'always' | 'off'): Promise<{ rate: number; wall: number; calls: number; shed: number }> {
  const packets = hepTraffic(600);
  let now = Date.now();
  const { collector, recorder, metrics } = pipeline({ now: () => now, findings });
  const walls: number[] = [];
  const pass = async (): Promise<number> => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < packets.length; i += 1000) {
      for (const p of packets.slice(i, i + 1000)) collector.offer(p, 'udp');
      // Time as if the packets arrived at the target rate, so calls complete (and are triaged) as they would live.
      now += (1000 * 1000) / TARGET;
      collector.sweep();
      await collector.idle();
    }
    now += 10_000;
    collector.sweep();
    await collector.idle();
    const cpu = process.cpuUsage(cpu0);
    walls.push((packets.length / (performance.now() - t0)) * 1000);
    now += 60_000;
    collector.sweep();
    await collector.idle();
    return (packets.length / ((cpu.user + cpu.system) / 1000)) * 1000;
  };
  for (let i = 0; i < 3; i++) await pass();
  walls.length = 0;
  const before = recorder.recorded;
  const rates: number[] = [];
  for (let i = 0; i < 5; i++) rates.push(await pass());
  collector.stop();
  const shed = Number(/siptriage_calls_without_findings_total (\d+)/.exec(await metrics.text())?.[1] ?? 0);
  // Best of five: on a shared machine the passes differ by what else runs; the best is the least disturbed.
  return { rate: Math.max(...rates), wall: Math.max(...walls), calls: (recorder.recorded - before) / 5, shed };
}

/** Over real UDP (or TCP) at a fixed offered rate: what is processed, what is dropped, and the delay to counting. */
async function overSocket(rate: number, ms: number, transport: 'udp' | 'tcp' = 'udp') {
  const { collector, metrics } = pipeline();
  const sockets = await listenHep(collector, 0, '127.0.0.1', log, metrics);
  collector.start();
  const delays: number[] = [];
  let processed = 0;
  const process = collector.process.bind(collector);
  collector.process = (bytes) => {
    process(bytes);
    if ((++processed & 7) === 0) {
      const d = decodeHep(bytes);
      if (d.ok) delays.push((nowUs() - ((d.value.timeSec ?? 0) * 1e6 + (d.value.timeUsec ?? 0))) / 1000);
    }
  };
  const drops0 = udpKernelDrops(sockets.udp.port) ?? 0;
  const { sent, ms: took } = await send(sockets.udp.port, rate, ms, true, transport);
  await collector.idle();
  await new Promise((r) => setTimeout(r, 300));
  const kernel = (udpKernelDrops(sockets.udp.port) ?? 0) - drops0;
  await sockets.close();
  collector.stop();
  // The first second is JIT warm-up; delays are taken from the rest.
  const steady = delays.slice(Math.floor(delays.length / 5));
  return { transport, offered: (sent / took) * 1000, processed: (processed / took) * 1000, kernel: kernel / sent, lost: 1 - processed / sent, p50: percentile(steady, 50), p99: percentile(steady, 99) };
}

/** 10× the sustainable rate offered to the collector's queue for `ms`: memory over time, drops, and /healthz latency. */
async function overload(rate: number, ms: number) {
  const packets = hepTraffic(200);
  const { collector, metrics } = pipeline({ queuePackets: 20_000 });
  collector.start();
  const http = new HttpServer(log);
  http.route('GET', '/healthz', (_q, res) => sendJson(res, 200, { ok: true }));
  const { port } = await http.listen(0, '127.0.0.1');
  const probe = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await (await fetch(`http://127.0.0.1:${port}/healthz`)).text();
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  };
  const idle = await probe(50);
  const memory: { t: number; rss: number; heap: number }[] = [];
  const start = performance.now();
  let offered = 0;
  let running = true;
  const produce = (): void => {
    if (!running) return;
    const due = Math.floor(((performance.now() - start) * rate) / 1000);
    for (; offered < due; offered++) collector.offer(packets[offered % packets.length] as Buffer, 'udp');
    setImmediate(produce);
  };
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    memory.push({ t: performance.now() - start, rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 });
  }, 250);
  produce();
  const busy = probe(Math.floor(ms / 40));
  await new Promise((r) => setTimeout(r, ms));
  running = false;
  const loaded = await busy;
  clearInterval(sample);
  const text = await metrics.text();
  const dropped = Number(/siptriage_ingest_dropped_total\{reason="overload"\} (\d+)/.exec(text)?.[1] ?? 0);
  collector.stop();
  await http.close();
  // From 5 s on, the queue is full and calls in progress have reached their steady number.
  const settled = memory.filter((m) => m.t > 5000);
  return {
    offered: (offered / ms) * 1000,
    dropped: dropped / offered,
    rssAt5s: settled[0]?.rss ?? Number.NaN,
    rssEnd: memory[memory.length - 1]?.rss ?? Number.NaN,
    rssMax: Math.max(...settled.map((m) => m.rss)),
    heapAt5s: settled[0]?.heap ?? Number.NaN,
    heapEnd: memory[memory.length - 1]?.heap ?? Number.NaN,
    idleP99: percentile(idle, 99),
    loadedP99: percentile(loaded, 99),
  };
}

export async function benchIngest(): Promise<BenchResult[]> {
  const load = loadavg()[0] ?? 0;
  const base = await bareUdp(3000);
  const pipe = await inProcess('always');
  const counting = await inProcess('off');
  const easy = await overSocket(20_000, 5000);
  const live = await overSocket(TARGET, 5000);
  const stream = await overSocket(TARGET, 5000, 'tcp');
  const over = await overload(Math.round(10 * pipe.wall), 20_000);
  return [
    { name: 'machine: 1-minute load average at start (2 CPUs)', value: load, unit: '' },
    { name: `traffic: ${MESSAGES_PER_ROUND} messages per round of 17 real SIPp call flows`, value: pipe.calls / 600, unit: 'events/round' },
    { name: 'baseline: bare UDP receive (no parsing), sender at max', value: base.rate, unit: 'pkt/s' },
    { name: 'ingest, one core, full triage of every call (per CPU s, best of 5)', value: pipe.rate, unit: 'pkt/s', ratio: { value: pipe.rate / base.rate, against: 'bare UDP receive' } },
    { name: 'ingest, one core, full triage (wall clock, shared machine)', value: pipe.wall, unit: 'pkt/s' },
    { name: 'ingest, one core, full triage vs the 50,000 pkt/s target', value: pipe.rate / TARGET, unit: '×' },
    { name: 'ingest, one core, counting rules only (shedding mode, best of 5)', value: counting.rate, unit: 'pkt/s', ratio: { value: counting.rate / TARGET, against: '50,000 pkt/s target' } },
    ...[easy, live, stream].flatMap((u) => {
      const at = `over ${u.transport.toUpperCase()} at ${Math.round(u.offered / 1000)}k pkt/s`;
      return [
        { name: `ingest ${at}: processed`, value: u.processed, unit: 'pkt/s', ratio: { value: u.processed / u.offered, against: 'offered' } },
        { name: `ingest ${at}: kernel drops / lost in all`, value: u.kernel * 100, unit: `% / ${(u.lost * 100).toFixed(1)} %` },
        { name: `ingest ${at}: sent → counted p50 / p99`, value: u.p50, unit: `ms / ${u.p99.toFixed(1)} ms` },
      ];
    }),
    { name: 'overload: offered to the queue (10× wall-clock rate)', value: over.offered, unit: 'pkt/s' },
    { name: 'overload: shed at the queue (dropped and counted)', value: over.dropped * 100, unit: '%' },
    { name: 'overload: RSS at 5 s / at 20 s / max', value: over.rssAt5s, unit: `MiB / ${over.rssEnd.toFixed(0)} / ${over.rssMax.toFixed(0)}`, ratio: { value: over.rssEnd / over.rssAt5s, against: 'RSS at 5 s' } },
    { name: 'overload: heap used at 5 s / at 20 s', value: over.heapAt5s, unit: `MiB / ${over.heapEnd.toFixed(0)}`, ratio: { value: over.heapEnd / over.heapAt5s, against: 'heap at 5 s' } },
    { name: 'overload: GET /healthz p99 (chat path)', value: over.loadedP99, unit: 'ms', ratio: { value: over.loadedP99 / over.idleP99, against: 'idle p99' } },
  ];
}

