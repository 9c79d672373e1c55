import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { autoWorkers } from '../src/app/triage-pool.js';
import { FakeSlackApi } from '../test/adapters/slack/fake-slack-api.js';
import { eventCallback, sign, slashCommand, type SignedPost } from '../test/adapters/slack/slack-requests.js';
import { percentile, type BenchResult } from './stats.js';

const BOT_TOKEN = 'xoxb-0000000000-bench-bench';
const SECRET = 'bench-signing-secret-0123456789';
const CONCURRENCY = 50;
const QUERY_ROUNDS = 10;
const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'test/fixtures/traces');

interface Timed {
  readonly ack: number;
  readonly done: number;
}

/**
 * The Slack surface as Slack sees it. The service runs as its own process, started the production way
 * (`siptriage serve` with SLACK_* in the environment, TRIAGE_WORKERS=auto), so its event loop is not shared
 * with the load: this process plays Slack, sending signed requests 50 at a time and recording answers in the
 * fake Web API. Times run from just before a request is sent to its HTTP response (the ack) and to the
 * answer's arrival at the fake (the card). Baselines on the same server in the same run: GET /healthz, and a
 * POST of the same size with a wrong signature (body read + HMAC, answered 401 with no handler).
 */
export async function benchSlack(): Promise<BenchResult[]> {
  const fake = await new FakeSlackApi(BOT_TOKEN).start();
  const { child, port } = await startServiceProcess(fake.apiUrl);
  const base = `http://127.0.0.1:${port}`;
  const events = `${base}/slack/events`;
  try {
    // Warm-up: JIT, connection pool, and the triage worker's knowledge load (waited for by the paste).
    await batch(10, () => fetch(`${base}/healthz`).then((r) => r.text()));
    await timedRound(events, Array.from({ length: 10 }, (_, i) => query(fake, `warm${i}`)));
    await timedRound(events, [paste(fake, '1795700000.000000', readFileSync(join(FIXTURES, 'raw/03-unavailable-503.sip'), 'utf8'))]);

    const healthz: number[] = [];
    for (let r = 0; r < QUERY_ROUNDS; r++) {
      healthz.push(...(await batch(CONCURRENCY, async () => {
        const t0 = performance.now();
        await (await fetch(`${base}/healthz`)).text();
        return performance.now() - t0;
      })));
    }
    const small = slashCommand('503', fake.responseUrl('forged'));
    const forgedSmall: number[] = [];
    for (let r = 0; r < QUERY_ROUNDS; r++) forgedSmall.push(...(await forgedRound(events, small, CONCURRENCY)));

    // One at a time: what a single request costs, without queueing behind 49 others.
    const healthzOne: number[] = [];
    const forgedOne: number[] = [];
    const qOne: Timed[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await (await fetch(`${base}/healthz`)).text();
      healthzOne.push(performance.now() - t0);
      forgedOne.push(...(await forgedRound(events, small, 1)));
      qOne.push(...(await timedRound(events, [query(fake, `one${i}`)])));
    }

    const q: Timed[] = [];
    for (let r = 0; r < QUERY_ROUNDS; r++) q.push(...(await timedRound(events, Array.from({ length: CONCURRENCY }, (_, i) => query(fake, `r${r}-${i}`)))));

    const big = megabyteTrace();
    const forgedBig = await forgedRound(events, paste(fake, '1795799999.000001', big).post, CONCURRENCY);
    const pastes = await timedRound(events, Array.from({ length: CONCURRENCY }, (_, i) => paste(fake, `17957${String(i).padStart(5, '0')}.000001`, big)));

    const against = (name: string, values: number[]) => (v: number, p: number) => ({ value: v / percentile(values, p), against: `${name} p${p}` });
    const vsHealth = against('GET /healthz', healthz);
    const vsForgedSmall = against('forged POST', forgedSmall);
    const vsForgedBig = against('forged 1 MiB POST', forgedBig);
    const row = (name: string, values: number[], p: 50 | 99, ratio: (v: number, p: number) => BenchResult['ratio'] | undefined): BenchResult => {
      const v = percentile(values, p);
      const r = ratio(v, p);
      return { name, value: v, unit: 'ms', ...(r === undefined ? {} : { ratio: r }) };
    };
    return [
      row(`baseline: GET /healthz, ${CONCURRENCY} concurrent, p50 (${healthz.length})`, healthz, 50, () => undefined),
      row('baseline: GET /healthz, p99', healthz, 99, () => undefined),
      row(`baseline: forged /sip POST → 401, p50 (${forgedSmall.length})`, forgedSmall, 50, vsHealth),
      row('baseline: forged /sip POST → 401, p99', forgedSmall, 99, vsHealth),
      row('one at a time: GET /healthz, p50 (100)', healthzOne, 50, () => undefined),
      row('one at a time: forged /sip POST → 401, p50', forgedOne, 50, against('GET /healthz one at a time', healthzOne)),
      row('one at a time: /sip 503 → ack, p50', qOne.map((t) => t.ack), 50, against('forged POST one at a time', forgedOne)),
      row('one at a time: /sip 503 → ack, p99', qOne.map((t) => t.ack), 99, against('forged POST one at a time', forgedOne)),
      row('one at a time: /sip 503 → card at response_url, p50', qOne.map((t) => t.done), 50, against('forged POST one at a time', forgedOne)),
      row(`/sip 503: signed request → ack, p50 (${q.length})`, q.map((t) => t.ack), 50, vsForgedSmall),
      row('/sip 503: signed request → ack, p99', q.map((t) => t.ack), 99, vsForgedSmall),
      row('/sip 503: signed request → card at response_url, p50', q.map((t) => t.done), 50, vsForgedSmall),
      row('/sip 503: signed request → card at response_url, p99', q.map((t) => t.done), 99, vsForgedSmall),
      row(`baseline: forged 1 MiB POST → 401, p50 (${forgedBig.length})`, forgedBig, 50, vsHealth),
      row('baseline: forged 1 MiB POST → 401, p99', forgedBig, 99, vsHealth),
      row(`1 MiB paste: signed event → ack, p50 (${pastes.length})`, pastes.map((t) => t.ack), 50, vsForgedBig),
      row('1 MiB paste: signed event → ack, p99', pastes.map((t) => t.ack), 99, vsForgedBig),
      row('1 MiB paste: signed event → summary in thread, p50', pastes.map((t) => t.done), 50, vsForgedBig),
      row('1 MiB paste: signed event → summary in thread, p99', pastes.map((t) => t.done), 99, vsForgedBig),
      { name: 'triage worker threads in the service (TRIAGE_WORKERS=auto)', value: autoWorkers(), unit: 'threads' },
      { name: 'requests resent after a keep-alive reset (not timed)', value: resets, unit: 'requests' },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await fake.stop();
  }
}

/** `siptriage serve` from the sources, configured for Slack against the fake; resolves with its port. */
async function startServiceProcess(apiUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', LOG_LEVEL: 'info', DATABASE_URL: ':memory:', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service exited with ${code} before Slack was ready`)));
    let listening = 0;
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'http listening' && entry.port !== undefined) listening = entry.port;
      if (entry.msg === 'Slack ready') resolve(listening);
    });
  });
  return { child, port };
}

interface Planned {
  readonly post: SignedPost;
  /** Resolves with performance.now() when the answer reaches the fake Slack. */
  answered(): Promise<number>;
}

function query(fake: FakeSlackApi, id: string): Planned {
  return {
    post: slashCommand('503', fake.responseUrl(id)),
    answered: () => fake.waitFor(() => fake.responses.find((r) => r.id === id)?.at, `answer ${id}`, 600_000),
  };
}

function paste(fake: FakeSlackApi, ts: string, text: string): Planned {
  return {
    post: eventCallback({ type: 'message', channel: 'C0BENCH', user: 'U0BENCH', ts, text, channel_type: 'channel' }),
    answered: () => fake.waitFor(() => fake.calls.find((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === ts && c.result?.['ok'] === true)?.at, `reply to ${ts}`, 600_000),
  };
}

/** Sends all requests at once (signed beforehand, so signing is not timed) and times each one. */
async function timedRound(url: string, planned: Planned[]): Promise<Timed[]> {
  const now = Math.floor(Date.now() / 1000);
  const prepared = planned.map((p) => ({ p, headers: { 'content-type': p.post.contentType, 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(SECRET, now, p.post.body) } }));
  return Promise.all(
    prepared.map(async ({ p, headers }) => {
      const answered = p.answered();
      const { res, t0 } = await send(url, { method: 'POST', headers, body: p.post.body });
      const ack = performance.now() - t0;
      await res.text();
      if (res.status !== 200) throw new Error(`bench request answered ${res.status}`);
      return { ack, done: (await answered) - t0 };
    }),
  );
}

/** The same request with a wrong signature: what the server spends before any handler could run. */
async function forgedRound(url: string, post: SignedPost, n: number): Promise<number[]> {
  const headers = { 'content-type': post.contentType, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': `v0=${'0'.repeat(64)}` };
  return batch(n, async () => {
    const { res, t0 } = await send(url, { method: 'POST', headers, body: post.body });
    await res.text();
    if (res.status !== 401) throw new Error(`forged request answered ${res.status}`);
    return performance.now() - t0;
  });
}

let resets = 0;

/**
 * fetch, timed from the attempt that got through. A pooled keep-alive socket that the server closes just as
 * it is reused fails with ECONNRESET/EPIPE before the server saw the request (a client-side race of HTTP/1.1
 * keep-alive); such an attempt is sent again on a fresh socket and counted, not timed.
 */
async function send(url: string, init: RequestInit): Promise<{ res: Response; t0: number }> {
  for (let attempt = 1; ; attempt++) {
    const t0 = performance.now();
    try {
      return { res: await fetch(url, init), t0 };
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw err;
      resets += 1;
    }
  }
}

async function batch<T>(n: number, f: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, f));
}

/** 1 MiB of real SIP: the fixture calls repeated with distinct Call-IDs, as a long capture export reads. */
function megabyteTrace(): string {
  const sets = ['02-busy-486', '03-unavailable-503', '04-codec-488', '08-cancel-487', '01-success-200'].map((s) => readFileSync(join(FIXTURES, `raw/${s}.sip`), 'utf8'));
  let out = '';
  for (let i = 0; out.length < 1024 * 1024; i++) out += `${(sets[i % sets.length] ?? '').replaceAll('@uac.example.com', `-${i}@uac.example.com`)}\r\n`;
  return out;
}
