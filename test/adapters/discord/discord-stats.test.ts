import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../../src/adapters/discord/start-discord.js';
import { loadConfig } from '../../../src/app/config.js';
import { createTriageRunner } from '../../../src/app/triage-pool.js';
import { type TriageRunner } from '../../../src/ports/triage-runner.js';
import { HttpServer } from '../../../src/app/http-server.js';
import { createMetrics } from '../../../src/app/metrics.js';
import type { RunningSurface, StatsPort } from '../../../src/ports/surface.js';
import { noticeCard } from '../../../src/core/card/notice-card.js';
import { createEngine } from '../../../src/core/engine.js';
import type { StatsQuery } from '../../../src/core/query/stats-query.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { counterValue } from '../../ingest/metrics-reader.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import { FakeDiscord, type RecordedRequest } from './fake-discord.js';
import { buttonClick, chatInput, FAKE, messageObject } from './fake-payloads.js';

const engine = createEngine(loadKnowledge());
const asked: StatsQuery[] = [];
/** Holds the 30-day answer back until the test has seen the interaction deferred. */
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));

/** A stats port answering with cards built by core code: the seam the surfaces call (the real one is another branch's). */
const stats: StatsPort = {
  async statsCard(query) {
    asked.push(query);
    if (query.range === '30d') await held;
    return {
      ...noticeCard(`SIP errors, last ${query.range}`, [`By ${query.by}: 42 failures, 12 more than the period before.`]),
      actions: [
        { label: '503 Service Unavailable', query: '503' },
        { label: 'Last 30 days', query: 'stats 30d' },
      ],
    };
  },
  async digestPreview() {
    return {
      text: 'SIP digest',
      cards: [noticeCard('SIP digest: the last 24 hours', ['31 failures; 503 up 40% on the day before.'], 'warning')],
      image: { png: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), filename: 'digest.png', alt: 'SIP errors per hour by class' },
    };
  },
};

const metrics = createMetrics({ topPeers: 5, processMetrics: false });
let fake: FakeDiscord;
let surface: RunningSurface | undefined;

let triage: TriageRunner | undefined;
beforeAll(async () => {
  fake = await FakeDiscord.start();
  const log = pino({ level: 'silent' });
  const loaded = loadConfig({ DISCORD_TOKEN: FAKE.token, DISCORD_API_URL: fake.apiUrl });
  if (!loaded.ok) throw new Error(loaded.error);
  // In-thread (no workers), as the service runs it with TRIAGE_WORKERS=0.
  triage = createTriageRunner(engine, 0, log);
  surface = await startDiscord({
    config: loaded.config,
    log,
    engine,
    triage,
    http: new HttpServer(log),
    store: undefined,
    terminal: { input: new PassThrough(), output: new PassThrough(), isTTY: false },
    metrics,
    stats,
  });
});
afterAll(async () => {
  await surface?.stop();
  await triage?.close();
  await fake?.close();
});

const callback = (payload: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`;
const original = (payload: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${payload.token}/messages/@original`;
async function interact(payload: any): Promise<RecordedRequest> {
  fake.dispatch('INTERACTION_CREATE', payload);
  return fake.waitFor(callback(payload));
}
const sip = (query: string, extra: object[] = []) => chatInput('sip', [{ name: 'query', type: 3, value: query }, ...extra]);

describe('Discord: /sip stats and /sip digest now with a stats service', () => {
  it('answers /sip stats 7d class with the card, its follow-ups as buttons and a Share button', async () => {
    const cb = await interact(sip('stats 7d class'));
    expect(asked.at(-1)).toEqual({ range: '7d', by: 'class' });
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags).toBe(64);
    expect(cb.body.data.embeds[0].title).toBe('SIP errors, last 7d');
    expect(cb.body.data.components.map((row: any) => row.components.map((c: any) => [c.label, c.custom_id]))).toEqual([
      [
        ['503 Service Unavailable', 'sip-query:503'],
        ['Last 30 days', 'sip-query:stats 30d'],
      ],
      [['Share', 'sip-share:stats 7d class']],
    ]);
    expectWithinDiscordLimits(cb.body.data);
    expect(await counterValue(metrics, 'siptriage_chat_commands_total', { surface: 'discord', kind: 'stats' })).toBe(1);
  });

  it('defers when the store is slow to answer, then edits the reply with the card', async () => {
    const payload = buttonClick('sip-query:stats 30d', messageObject(FAKE.channelId, {}));
    const cb = await interact(payload);
    // Nothing to show within 1.5 s: acknowledged as "thinking", privately.
    expect(cb.body).toMatchObject({ type: 5, data: { flags: 64 } });
    release();
    const edit = await fake.waitFor(original(payload));
    expect(edit.body.embeds[0].title).toBe('SIP errors, last 30d');
    expectWithinDiscordLimits(edit.body);
  });

  it('shares stats in the channel by asking again, saying who shared them', async () => {
    const cb = await interact(buttonClick('sip-share:stats 7d class', messageObject(FAKE.channelId, {})));
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.content).toBe(`Shared by <@${FAKE.userId}>: /sip stats 7d class`);
    expect(cb.body.data.embeds[0].title).toBe('SIP errors, last 7d');
  });

  it('answers /sip digest now with the chart attached and shown in the embed', async () => {
    const cb = await interact(sip('digest now', [{ name: 'public', type: 5, value: true }]));
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.files).toEqual([expect.objectContaining({ name: 'digest.png', size: 8 })]);
    expect(cb.body.data.embeds[0]).toMatchObject({ title: 'SIP digest: the last 24 hours', image: { url: 'attachment://digest.png' } });
    expectWithinDiscordLimits(cb.body.data);
  });
});

// This surface was started without a store (ctx.store undefined): what needs one says so, and how to get one.
describe('Discord: channel commands without a database', () => {
  it('answers /sip digest subscribe privately, saying it needs a database and how to configure one', async () => {
    const asked = sip('digest subscribe');
    const cb = await interact(asked);
    expect(cb.body.data.flags).toBe(64);
    expect(cb.body.data.embeds[0].title).toBe('Digest subscriptions need a database');
    expect(JSON.stringify(cb.body.data.embeds[0])).toContain('DATABASE_URL');
    // Nothing changed: no line for the channel.
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/webhooks/${FAKE.appId}/${asked.token}`)).toBe(false);
  });
});

