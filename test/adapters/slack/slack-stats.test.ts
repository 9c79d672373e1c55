import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../../src/adapters/slack/start-slack.js';
import { loadConfig } from '../../../src/app/config.js';
import { createTriageRunner } from '../../../src/app/triage-pool.js';
import { type TriageRunner } from '../../../src/ports/triage-runner.js';
import { HttpServer } from '../../../src/app/http-server.js';
import { createMetrics } from '../../../src/app/metrics.js';
import type { RunningSurface, StatsPort } from '../../../src/ports/surface.js';
import { noticeCard } from '../../../src/core/card/notice-card.js';
import { createEngine } from '../../../src/core/engine.js';
import { SiptriageError } from '../../../src/errors/errors.js';
import type { StatsQuery } from '../../../src/core/query/stats-query.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { counterValue } from '../../ingest/metrics-reader.js';
import { allText, expectWithinSlackLimits } from './block-limits.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { buttonClick, slashCommand } from './slack-requests.js';
import { BOT_TOKEN, memoryLogger, SIGNING_SECRET, slackRequests } from './slack-service.js';

const engine = createEngine(loadKnowledge());
const asked: StatsQuery[] = [];
let failing = false;
const logs: string[] = [];

/**
 * A stats port as the digest work provides it, answering with cards built by core code: the seam the
 * surfaces call (its real implementation is another branch's).
 */
const stats: StatsPort = {
  async statsCard(query) {
    asked.push(query);
    if (failing) throw new SiptriageError('STORE_UNAVAILABLE', 'connection refused');
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
      cards: [noticeCard('SIP digest: the last 24 hours', ['31 failures; 503 up 40% on the day before.'], 'warning'), engine.explain('503')],
      image: { png: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), filename: 'digest.png', alt: 'SIP errors per hour by class' },
    };
  },
};

const metrics = createMetrics({ topPeers: 5, processMetrics: false });
let fake: FakeSlackApi;
let http: HttpServer;
let surface: RunningSurface | undefined;
let triage: TriageRunner | undefined;
let events = '';

beforeAll(async () => {
  fake = await new FakeSlackApi(BOT_TOKEN).start();
  const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', TRIAGE_WORKERS: '0', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
  if (!r.ok) throw new Error(r.error);
  const log = memoryLogger(logs, 'info');
  http = new HttpServer(log);
  const address = await http.listen(0, '127.0.0.1');
  events = `http://127.0.0.1:${address.port}/slack/events`;
  const terminal = { input: new PassThrough(), output: new PassThrough(), isTTY: false };
  // TRIAGE_WORKERS=0: the service would make this runner in-thread too.
  triage = createTriageRunner(engine, 0, log);
  surface = await startSlack({ config: r.config, log, engine, triage, http, store: undefined, terminal, metrics, stats });
});
afterAll(async () => {
  await surface?.stop();
  await triage?.close();
  await http.close();
  await fake.stop();
});

const { post, responsesTo, waitResponses } = slackRequests(() => ({ events, fake }));
const buttons = (body: Record<string, unknown>): Record<string, unknown>[] =>
  (body['blocks'] as Record<string, unknown>[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Record<string, unknown>[]);

describe('Slack: /sip stats and /sip digest now with a stats service', () => {
  it('answers /sip stats 7d class with the stats card, its follow-ups as buttons and a Share button', async () => {
    await post(slashCommand('stats 7d class', fake.responseUrl('stats')));
    const [answer] = await waitResponses('stats');
    expect(asked.at(-1)).toEqual({ range: '7d', by: 'class' });
    expect(answer?.body['response_type']).toBe('ephemeral');
    expect(allText(answer?.body ?? {})).toContain('By class: 42 failures');
    expect(buttons(answer?.body ?? {})).toEqual([
      { type: 'button', action_id: 'sip_query:0', text: { type: 'plain_text', text: '503 Service Unavailable' }, value: '503' },
      { type: 'button', action_id: 'sip_query:1', text: { type: 'plain_text', text: 'Last 30 days' }, value: 'stats 30d' },
      { type: 'button', action_id: 'sip_share', text: { type: 'plain_text', text: 'Share in channel' }, value: 'stats 7d class' },
    ]);
    expectWithinSlackLimits(answer?.body ?? {});
    expect(await counterValue(metrics, 'siptriage_chat_commands_total', { surface: 'slack', kind: 'stats' })).toBe(1);
  });

  it('answers a click on a follow-up button by asking its query', async () => {
    await post(buttonClick('sip_query:1', 'stats 30d', fake.responseUrl('more'), { ts: '1795609200.000100', type: 'message' }));
    const [answer] = await waitResponses('more');
    expect(asked.at(-1)).toEqual({ range: '30d', by: 'code' });
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer?.body['text'])).toMatch(/^SIP errors, last 30d/);
  });

  it('shares stats into the channel by asking again, saying who asked, and withdraws the private answer', async () => {
    await post(buttonClick('sip_share', 'stats 7d class', fake.responseUrl('share'), {}));
    const [shared, withdrawn] = await waitResponses('share', 2);
    expect(shared?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(allText(shared?.body ?? {})).toContain('Asked by <@U0BOB> with `/sip stats 7d class`');
    expect(withdrawn?.body).toEqual({ delete_original: true });
  });

  it('shows /sip digest now privately, pointing to public for the chart', async () => {
    await post(slashCommand('digest now', fake.responseUrl('digest')));
    const [answer] = await waitResponses('digest');
    expect(answer?.body['response_type']).toBe('ephemeral');
    const text = allText(answer?.body ?? {});
    expect(text).toContain('31 failures; 503 up 40%');
    expect(text).toContain('503 Service Unavailable');
    expect(text).toContain('add `public` to the command');
    expectWithinSlackLimits(answer?.body ?? {});
  });

  it('posts /sip digest now public in the channel with the chart in its thread', async () => {
    const uploads = fake.uploads.length;
    const completed = fake.callsTo('files.completeUploadExternal').length;
    await post(slashCommand('digest now public', fake.responseUrl('digestpub')));
    const call = await fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'C0SIPTRIAGE' && String(c.args['text']).startsWith('SIP digest')), 'the digest post');
    expectWithinSlackLimits(call.args);
    await fake.waitFor(() => fake.callsTo('files.completeUploadExternal').length > completed, 'the chart upload');
    expect(fake.uploads.length).toBe(uploads + 1);
    expect(fake.callsTo('files.completeUploadExternal').at(-1)?.args).toMatchObject({ channel_id: 'C0SIPTRIAGE', thread_ts: call.result?.['ts'] });
    expect(responsesTo('digestpub')).toEqual([]);
  });

  it('still answers /sip digest now public where it is not a member, without the chart', async () => {
    fake.notInChannel.add('C0ELSEWHERE');
    await post(slashCommand('digest now public', fake.responseUrl('elsewhere'), { channel_id: 'C0ELSEWHERE' }));
    const [answer] = await waitResponses('elsewhere');
    expect(answer?.body['response_type']).toBe('in_channel');
    expect(allText(answer?.body ?? {})).toContain('Asked by <@U0ALICE> with `/sip digest now`');
    expectWithinSlackLimits(answer?.body ?? {});
  });

  it('answers a stats fault with a short private card naming its code, and logs the error', async () => {
    failing = true;
    try {
      await post(slashCommand('stats', fake.responseUrl('fault')));
      const [answer] = await waitResponses('fault');
      expect(answer?.body['response_type']).toBe('ephemeral');
      expect(String(answer?.body['text'])).toMatch(/^siptriage could not answer that: That could not be read: its database did not answer \(STORE_UNAVAILABLE\)/);
      expect(allText(answer?.body ?? {})).not.toContain('connection refused');
      const line = logs.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l['msg'] === 'could not answer the channel command');
      expect(line).toMatchObject({ surface: 'slack', command: 'stats', err: { code: 'STORE_UNAVAILABLE' } });
      expect(line?.['err']['stack']).toEqual(expect.any(String));
    } finally {
      failing = false;
    }
  });
});

// This surface was started without a store (ctx.store undefined): what needs one says so, and how to get one.
describe('Slack: channel commands without a database', () => {
  it('answers /sip digest subscribe and /sip auto off privately, saying they need a database and how to configure one', async () => {
    await post(slashCommand('digest subscribe', fake.responseUrl('nodb-digest')));
    const [digest] = await waitResponses('nodb-digest');
    expect(digest?.body['response_type']).toBe('ephemeral');
    expect(String(digest?.body['text'])).toMatch(/^Digest subscriptions need a database/);
    expect(allText(digest?.body ?? {})).toContain('DATABASE_URL');
    await post(slashCommand('auto off', fake.responseUrl('nodb-auto')));
    const [auto] = await waitResponses('nodb-auto');
    expect(String(auto?.body['text'])).toMatch(/^Channel settings need a database/);
    // Nothing changed, so the channel hears nothing.
    expect(responsesTo('nodb-digest')).toHaveLength(1);
    expect(responsesTo('nodb-auto')).toHaveLength(1);
  });
});

