import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../../src/adapters/slack/start-slack.js';
import { loadConfig } from '../../../src/app/config.js';
import { createTriageRunner } from '../../../src/app/triage-pool.js';
import { type TriageRunner } from '../../../src/ports/triage-runner.js';
import { HttpServer } from '../../../src/app/http-server.js';
import type { RunningSurface } from '../../../src/ports/surface.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/ports/store.js';
import { storedEvents, storedQueries } from '../../store/read-store.js';
import { expectWithinSlackLimits } from './block-limits.js';
import { FakeSlackApi, FAKE_TEAM } from './fake-slack-api.js';
import { eventCallback, postSigned, slashCommand } from './slack-requests.js';
import { BOT_TOKEN, memoryLogger, SIGNING_SECRET } from './slack-service.js';

const TRACES = join(import.meta.dirname, '../../fixtures/traces');
// The real SQLite store, in a file the test can also read.
const dir = mkdtempSync(join(tmpdir(), 'siptriage-slack-store-'));
const path = join(dir, 'siptriage.db');
let store: Store;
let fake: FakeSlackApi;
let http: HttpServer;
let surface: RunningSurface | undefined;
let triage: TriageRunner | undefined;
let events = '';

beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', path });
  fake = await new FakeSlackApi(BOT_TOKEN).start();
  const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', TRIAGE_WORKERS: '0', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
  if (!r.ok) throw new Error(r.error);
  const log = memoryLogger([], 'warn');
  http = new HttpServer(log);
  const address = await http.listen(0, '127.0.0.1');
  events = `http://127.0.0.1:${address.port}/slack/events`;
  const terminal = { input: new PassThrough(), output: new PassThrough(), isTTY: false };
  const engine = createEngine(loadKnowledge());
  // TRIAGE_WORKERS=0: the service would make this runner in-thread too.
  triage = createTriageRunner(engine, 0, log);
  surface = await startSlack({ config: r.config, log, engine, triage, http, store, terminal });
});
afterAll(async () => {
  await surface?.stop();
  await triage?.close();
  await http.close();
  await fake.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (p: Parameters<typeof postSigned>[2]) => postSigned(events, SIGNING_SECRET, p);
const waitResponse = (id: string) => fake.waitFor(() => fake.responses.find((r) => r.id === id), id);

describe('Slack with a store', () => {
  it('turns automatic triage off and on per channel with /sip auto', async () => {
    await post(slashCommand('auto off', fake.responseUrl('off')));
    expect(String((await waitResponse('off')).body['text'])).toMatch(/^Automatic triage is off in this channel/);
    expect(await store.channelSettings({ platform: 'slack', workspace: FAKE_TEAM, channel: 'C0SIPTRIAGE' })).toMatchObject({ autoTriage: false });

    const event = JSON.parse(readFileSync(join(TRACES, 'slack/02-busy-486.event.json'), 'utf8')) as Record<string, unknown>;
    await post(eventCallback({ ...event, ts: '1795603000.000001' }));
    await post(slashCommand('auto', fake.responseUrl('status')));
    expect(String((await waitResponse('status')).body['text'])).toMatch(/is off in this channel/);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);

    await post(slashCommand('auto on', fake.responseUrl('on')));
    await waitResponse('on');
    await post(eventCallback({ ...event, ts: '1795603000.000002' }));
    const reply = await fake.waitFor(() => fake.callsTo('chat.postMessage')[0], 'a reply once auto is on');
    expect(reply.args['thread_ts']).toBe('1795603000.000002');
    expectWithinSlackLimits(reply.args);
  });

  it('records answered queries and triaged calls with surface, team and channel', async () => {
    await post(slashCommand('503', fake.responseUrl('q')));
    await waitResponse('q');
    await fake.waitFor(() => storedQueries(path).some((q) => q.kind === 'code'), 'the query record');
    expect(storedQueries(path).find((q) => q.kind === 'code')).toMatchObject({ surface: 'slack' });
    await fake.waitFor(() => storedEvents(path).length > 0, 'the call events');
    expect(storedEvents(path)[0]).toMatchObject({ surface: 'slack', workspace: FAKE_TEAM, channel: 'C0SIPTRIAGE', kind: 'failure', code: 486, q850: 17 });
    expect(storedQueries(path).some((q) => q.kind === 'triage')).toBe(true);
    // Counted in the roll-ups the stats read, once however often it is pasted.
    expect(await store.counts({ from: 0, to: Date.now() + 3_600_000, by: ['code'], kinds: ['failure'] })).toEqual([{ code: 486, count: 1 }]);
  });

  it('exposes a ChatPoster that posts and updates cards for digests and alerts', async () => {
    const poster = surface?.poster;
    if (poster === undefined) throw new Error('no poster');
    const engine = createEngine(loadKnowledge());
    const ref = { platform: 'slack' as const, workspace: FAKE_TEAM, channel: 'C0DIGEST' };
    const posted = await poster.post(ref, { text: 'Daily SIP digest', cards: [engine.explain('503'), engine.explain('486')], image: { png: new Uint8Array([137, 80, 78, 71]), filename: 'chart.png', alt: 'failures per hour' } });
    const call = fake.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'C0DIGEST');
    expect(posted.id).toBe(call?.result?.['ts']);
    expectWithinSlackLimits(call?.args ?? {});
    const chart = fake.completedFiles().filter((f) => f.channel === 'C0DIGEST');
    expect(chart).toHaveLength(1);
    expect(chart[0]).toMatchObject({ filename: 'chart.png', threadTs: posted.id });
    expect([...(chart[0]?.data ?? [])]).toEqual([137, 80, 78, 71]);
    await poster.update(posted, { text: 'Daily SIP digest (updated)', cards: [engine.explain('480')] });
    expect(fake.callsTo('chat.update').find((c) => c.args['ts'] === posted.id)?.args['text']).toBe('Daily SIP digest (updated)');
  });
});

describe('Slack: settings kept in the store', () => {
  const ref = { platform: 'slack' as const, workspace: FAKE_TEAM, channel: 'C0SIPTRIAGE' };

  it('subscribes the channel to the daily digest, tells the channel who did, and shows it in the status', async () => {
    await post(slashCommand('digest subscribe', fake.responseUrl('dsub')));
    const [mine, channel] = await fake.waitFor(() => fake.responses.filter((r) => r.id === 'dsub').length >= 2 && fake.responses.filter((r) => r.id === 'dsub'), 'two posts');
    expect(mine?.body['response_type']).toBe('ephemeral');
    expect(String(mine?.body['text'])).toMatch(/^The daily digest is posted in this channel/);
    expectWithinSlackLimits(mine?.body ?? {});
    expect(channel?.body).toMatchObject({ response_type: 'in_channel', text: '<@U0ALICE> subscribed this channel to the daily digest.' });
    expect(await store.channelSettings(ref)).toMatchObject({ digest: true });

    await post(slashCommand('digest status', fake.responseUrl('dstatus')));
    expect(String((await waitResponse('dstatus')).body['text'])).toMatch(/^The daily digest is posted in this channel/);

    await post(slashCommand('digest unsubscribe', fake.responseUrl('dunsub')));
    expect(String((await waitResponse('dunsub')).body['text'])).toMatch(/^The daily digest is not posted in this channel/);
    expect(await store.channelSettings(ref)).toMatchObject({ digest: false });
  });
});

