import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSY_MESSAGE } from '../src/ports/triage-runner.js';
import { FakeSlackApi } from '../test/adapters/slack/fake-slack-api.js';
import { eventCallback, postSigned } from '../test/adapters/slack/slack-requests.js';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET } from '../test/adapters/slack/slack-service.js';
import { startServed, type ServedProcess } from '../test/attack/served-process.js';
import { writeManyCallsCapture } from '../test/core/capture/many-calls-capture.js';
import { percentile, type BenchResult } from './stats.js';

const CALLS = 100_000;
const MIB = 1024 * 1024;
const POLL_MS = 25;

/**
 * Issue 13 item 1 as figures: 60 MB captures (100,000 calls) shared in Slack's file path (a fake Web API on
 * 127.0.0.1 serves them) to the service in its own process, as configured in the attack test (TRIAGE_WORKERS=1,
 * CAPTURE_JOBS at its default of 2). Baselines from the same process in the same run: /healthz polled every
 * 25 ms while idle, its resident set while idle, and one capture shared alone.
 */
export async function benchAttackCaptures(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-bench-attack-'));
  const fake = await new FakeSlackApi(BOT_TOKEN, APP_TOKEN).start();
  let served: ServedProcess | undefined;
  try {
    await writeManyCallsCapture(join(dir, 'trunk.pcap'), CALLS);
    const bytes = readFileSync(join(dir, 'trunk.pcap'));
    for (const n of [0, 1, 2, 3]) fake.files.set(`F0BENCH${n}`, { id: `F0BENCH${n}`, name: `trunk-${n}.pcap`, bytes, filetype: 'pcap' });
    served = await startServed(
      { DATABASE_URL: ':memory:', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, TRIAGE_WORKERS: '1' },
      'Slack ready',
    );
    const s = served;
    const pid = s.child.pid ?? 0;
    const share = (n: number, ts: string): Promise<unknown> =>
      postSigned(`${s.base}/slack/events`, SIGNING_SECRET, eventCallback({ type: 'message', subtype: 'file_share', user: 'U0BENCH', channel: 'C0BENCH', ts, text: '', files: [{ id: `F0BENCH${n}`, name: `trunk-${n}.pcap` }] }));
    const answerIn = (ts: string): string | undefined => {
      const c = fake.callsTo('chat.postMessage').find((x) => x.args['thread_ts'] === ts);
      return c === undefined ? undefined : JSON.stringify(c.args);
    };

    // Idle: the service started, nothing to read.
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await watch(s, pid, () => new Promise((r) => setTimeout(r, 4000)));

    // One capture alone.
    const soloTs = '1765100000.000100';
    const solo = await watch(s, pid, async () => {
      await share(0, soloTs);
      await fake.waitFor(() => answerIn(soloTs), 'the answer to one capture', 600_000);
    });

    // Three at once: two places, so two are read and the third is told to come back.
    const threads = [1, 2, 3].map((n) => `1765100000.00020${n}`);
    const three = await watch(s, pid, async () => {
      await Promise.all(threads.map((ts, i) => share(i + 1, ts)));
      await fake.waitFor(() => (threads.every((ts) => answerIn(ts) !== undefined) ? true : undefined), 'three answers', 600_000);
    });
    const answers = threads.map((ts) => answerIn(ts) ?? '');
    const hwm = status(pid, 'VmHWM');
    const alive = s.alive() && (await fetch(`${s.base}/healthz`)).status === 200;

    const idleP50 = percentile(idle.latencies, 50);
    const idleP99 = percentile(idle.latencies, 99);
    const vs = (v: number, base: number, against: string): { value: number; against: string } => ({ value: v / base, against });
    return [
      { name: `capture: file size (${CALLS} calls)`, value: bytes.length / MIB, unit: 'MiB' },
      { name: `baseline: GET /healthz idle, p50 (${idle.latencies.length})`, value: idleP50, unit: 'ms' },
      { name: 'baseline: GET /healthz idle, p99', value: idleP99, unit: 'ms' },
      { name: 'baseline: resident set idle', value: idle.rssPeak / MIB, unit: 'MiB' },
      { name: 'one capture: shared → answer in thread', value: solo.ms / 1000, unit: 's' },
      { name: `one capture: GET /healthz p99 meanwhile (${solo.latencies.length})`, value: percentile(solo.latencies, 99), unit: 'ms', ratio: vs(percentile(solo.latencies, 99), idleP99, 'idle p99') },
      { name: 'one capture: peak resident set (sampled every 25 ms)', value: solo.rssPeak / MIB, unit: 'MiB', ratio: vs(solo.rssPeak, idle.rssPeak, 'idle') },
      { name: 'three at once: shared → all three answered', value: three.ms / 1000, unit: 's', ratio: vs(three.ms, solo.ms, 'one capture') },
      { name: 'three at once: answered with the triage', value: answers.filter((a) => a.includes(`SIP trace: ${CALLS} calls`)).length, unit: 'captures' },
      { name: 'three at once: answered "busy, share it again"', value: answers.filter((a) => a.includes(BUSY_MESSAGE)).length, unit: 'captures' },
      { name: `three at once: GET /healthz p50 meanwhile (${three.latencies.length})`, value: percentile(three.latencies, 50), unit: 'ms', ratio: vs(percentile(three.latencies, 50), idleP50, 'idle p50') },
      { name: 'three at once: GET /healthz p99 meanwhile (target < 200 ms)', value: percentile(three.latencies, 99), unit: 'ms', ratio: vs(percentile(three.latencies, 99), idleP99, 'idle p99') },
      { name: 'three at once: GET /healthz worst meanwhile', value: Math.max(...three.latencies), unit: 'ms' },
      { name: 'three at once: peak resident set (sampled every 25 ms)', value: three.rssPeak / MIB, unit: 'MiB', ratio: vs(three.rssPeak, idle.rssPeak, 'idle') },
      { name: 'whole run: peak resident set (VmHWM, target < 1024 MiB)', value: hwm / MIB, unit: 'MiB', ratio: vs(hwm, 1024 * MIB, '1 GiB') },
      { name: 'service still serving afterwards (1 = yes)', value: alive ? 1 : 0, unit: '' },
    ];
  } finally {
    await served?.stop();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Watched {
  readonly ms: number;
  readonly latencies: number[];
  readonly rssPeak: number;
}

/** Runs `work` while /healthz is asked every 25 ms and the service's resident set is sampled as often. */
async function watch(s: ServedProcess, pid: number, work: () => Promise<unknown>): Promise<Watched> {
  const latencies: number[] = [];
  let rssPeak = status(pid, 'VmRSS');
  let on = true;
  const poller = (async () => {
    while (on) {
      const t0 = performance.now();
      const res = await fetch(`${s.base}/healthz`);
      await res.text();
      latencies.push(performance.now() - t0);
      rssPeak = Math.max(rssPeak, status(pid, 'VmRSS'));
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  on = false;
  await poller;
  return { ms, latencies, rssPeak: Math.max(rssPeak, status(pid, 'VmRSS')) };
}

/** A field of /proc/<pid>/status in bytes (VmRSS: now; VmHWM: the kernel's high-water mark). */
function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}
