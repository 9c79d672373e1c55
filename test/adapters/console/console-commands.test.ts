import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsole } from '../../../src/adapters/console/start-console.js';
import { loadConfig } from '../../../src/app/config.js';
import { HttpServer } from '../../../src/app/http-server.js';
import { createMetrics, type PrometheusMetrics } from '../../../src/app/metrics.js';
import { createTriageRunner } from '../../../src/app/triage-pool.js';
import type { RunningSurface, StatsPort } from '../../../src/ports/surface.js';
import { noticeCard } from '../../../src/core/card/notice-card.js';
import { createEngine } from '../../../src/core/engine.js';
import { SiptriageError } from '../../../src/errors/errors.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { memoryLogger } from '../slack/slack-service.js';

const engine = createEngine(loadKnowledge());

interface Console {
  readonly metrics: PrometheusMetrics;
  readonly logs: string[];
  /** Types a line and resolves with everything printed once `until` appears. */
  ask(line: string, until: string): Promise<string>;
  /** Types the lines, ends the input (a pipe closing) and resolves with everything printed once the console has finished. */
  pipe(lines: string): Promise<string>;
}

let running: RunningSurface | undefined;
let input: PassThrough | undefined;
afterEach(async () => {
  input?.end();
  await running?.stop();
});

/** The console surface from its real starter, on a terminal made of streams, with a context the test chooses. */
async function startWith(stats?: StatsPort): Promise<Console> {
  const loaded = loadConfig({ CONSOLE: 'on' });
  if (!loaded.ok) throw new Error(loaded.error);
  const logs: string[] = [];
  const log = memoryLogger(logs, 'info');
  const metrics = createMetrics({ topPeers: 5, processMetrics: false });
  input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  const waiters = new Set<() => void>();
  output.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of [...waiters]) w();
  });
  running = await startConsole({
    config: loaded.config,
    log,
    engine,
    // The console triages in-thread; a runner without workers holds nothing open.
    triage: createTriageRunner(engine, 0, log),
    http: new HttpServer(log),
    store: undefined,
    terminal: { input, output, isTTY: false },
    metrics,
    ...(stats === undefined ? {} : { stats }),
  });
  // As start-up does once every surface is up: only then the banner and prompt.
  running?.ready?.();
  const stdin = input;
  const surface = running;
  return {
    metrics,
    logs,
    ask(line, until) {
      const from = text.length;
      stdin.write(`${line}\n`);
      return new Promise((resolve) => {
        const check = (): void => {
          const seen = text.slice(from);
          if (!seen.includes(until)) return;
          waiters.delete(check);
          resolve(seen);
        };
        waiters.add(check);
        check();
      });
    },
    async pipe(lines) {
      stdin.end(lines);
      await surface?.finished;
      return text;
    },
  };
}

describe('console: channel commands', () => {
  it('says stats need a database, and how to configure one, when there is none', async () => {
    const c = await startWith();
    const out = await c.ask('/sip stats', 'Stats need a database');
    expect(out).toContain('DATABASE_URL');
    expect(await c.metrics.text()).toContain('siptriage_chat_commands_total{surface="console",kind="stats"} 1');
  });

  it('answers /sip stats 7d class from the stats port, with its follow-ups as commands to type', async () => {
    const asked: unknown[] = [];
    const stats: StatsPort = {
      async statsCard(query) {
        asked.push(query);
        return { ...noticeCard('SIP errors, last 7 days', ['42 failures, 12 more than the 7 days before.']), actions: [{ label: '503 Service Unavailable', query: '503' }] };
      },
      digestPreview: () => Promise.reject(new Error('not asked')),
    };
    const c = await startWith(stats);
    const out = await c.ask('/sip stats 7d class', '→ /sip 503');
    expect(out).toContain('SIP errors, last 7 days');
    expect(asked).toEqual([{ range: '7d', by: 'class' }]);
  });

  it('shows /sip digest now with the chart described, since a terminal shows no picture', async () => {
    const stats: StatsPort = {
      statsCard: () => Promise.reject(new Error('not asked')),
      digestPreview: async () => ({ text: 'SIP digest', cards: [noticeCard('SIP digest: 24 hours to 09:00 UTC', ['No SIP errors: all clear.'], 'success')], image: { png: new Uint8Array([137, 80, 78, 71]), filename: 'digest.png', alt: 'SIP errors per hour by class' } }),
    };
    const c = await startWith(stats);
    const out = await c.ask('/sip digest now', '(chart digest.png: SIP errors per hour by class)');
    expect(out).toContain('No SIP errors: all clear.');
    expect(await c.metrics.text()).toContain('siptriage_chat_commands_total{surface="console",kind="digest"} 1');
  });

  it('turns a stats fault into a short answer with its code, and logs the error', async () => {
    const stats: StatsPort = {
      statsCard: () => Promise.reject(new SiptriageError('STORE_UNAVAILABLE', 'database is locked')),
      digestPreview: () => Promise.reject(new Error('not asked')),
    };
    const c = await startWith(stats);
    const out = await c.ask('/sip stats', 'siptriage could not answer that');
    expect(out).toContain('(STORE_UNAVAILABLE)');
    expect(out).not.toContain('database is locked');
    const line = c.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'could not answer the channel command');
    expect(line).toMatchObject({ level: 50, surface: 'console', command: 'stats', err: { code: 'STORE_UNAVAILABLE', message: 'database is locked' } });
  });

  it('prints answers still being read when the input ends, before it finishes', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const stats: StatsPort = {
      async statsCard() {
        await slow;
        return noticeCard('SIP errors, the last 24 hours', ['3 failures.']);
      },
      digestPreview: () => Promise.reject(new Error('not asked')),
    };
    const c = await startWith(stats);
    const printed = c.pipe('/sip stats\n');
    setTimeout(release, 200);
    const out = await printed;
    expect(out).toContain('SIP errors, the last 24 hours');
    expect(out).toContain('3 failures.');
  });

  it('explains that digests and automatic triage are chat-channel settings', async () => {
    const c = await startWith();
    expect(await c.ask('/sip digest subscribe', 'The daily digest posts to chat channels')).toContain('/sip digest now');
    expect(await c.ask('/sip auto off', 'Automatic triage is a channel setting')).toContain('The console triages every trace');
    const text = await c.metrics.text();
    expect(text).toContain('siptriage_chat_commands_total{surface="console",kind="digest"} 1');
    expect(text).toContain('siptriage_chat_commands_total{surface="console",kind="auto"} 1');
  });
});

describe('console: code answers a part at a time', () => {
  it('answers /sip 503 on one screen with the command for each part, and /sip 503 fixes with the fixes', async () => {
    const c = await startWith();
    const first = await c.ask('/sip 503', 'Related:');
    expect(first).toContain('Do now');
    expect(first).toContain('/sip 503 fixes');
    expect(first).not.toContain('Likely causes');
    // One laptop screen: a few dozen lines, not the 200 the full card takes.
    expect(first.trim().split('\n').length).toBeLessThanOrEqual(30);
    const fixes = await c.ask('/sip 503 fixes', 'More:');
    expect(fixes).toContain('How to fix');
    expect(fixes).toContain('5. Send 503 only when the whole server is unavailable');
  });
});
