import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../../src/adapters/discord/start-discord.js';
import { loadConfig } from '../../../src/app/config.js';
import { createTriageRunner } from '../../../src/app/triage-pool.js';
import { type TriageRunner } from '../../../src/ports/triage-runner.js';
import { HttpServer } from '../../../src/app/http-server.js';
import type { RunningSurface } from '../../../src/ports/surface.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { FakeDiscord, type RecordedRequest } from './fake-discord.js';
import { chatInput, FAKE, modalSubmit, userMessage } from './fake-payloads.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/ports/store.js';
import { storedEvents, storedQueries } from '../../store/read-store.js';

const trace = (file: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/traces', file), 'utf8');

let fake: FakeDiscord;
let surface: RunningSurface | undefined;
let triage: TriageRunner | undefined;
// The real SQLite store, in a file the test can also read.
const dir = mkdtempSync(join(tmpdir(), 'siptriage-discord-store-'));
const path = join(dir, 'siptriage.db');
let store: Store;
const logs: any[] = [];

// The surface's own starter with a store in its context, to read what it wrote.
beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', path });
  fake = await FakeDiscord.start();
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') logs.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const loaded = loadConfig({ DISCORD_TOKEN: FAKE.token, DISCORD_API_URL: fake.apiUrl, DISCORD_AUTO_TRIAGE: 'true' });
  if (!loaded.ok) throw new Error(loaded.error);
  const engine = createEngine(loadKnowledge());
  // In-thread (no workers), as the service runs it with TRIAGE_WORKERS=0.
  triage = createTriageRunner(engine, 0, log);
  surface = await startDiscord({
    config: loaded.config,
    log,
    engine,
    triage,
    http: new HttpServer(log),
    store,
    terminal: { input: new PassThrough(), output: new PassThrough(), isTTY: false },
  });
});
afterAll(async () => {
  await surface?.stop();
  await triage?.close();
  await fake?.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function interact(payload: any): Promise<RecordedRequest> {
  fake.dispatch('INTERACTION_CREATE', payload);
  return fake.waitFor((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
}

/** Recording happens after the answer is sent; wait for it without a timer on the outcome. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

describe('what the Discord surface records through the store', () => {
  it('records an answered /sip query as from Discord, with its kind', async () => {
    await interact(chatInput('sip', [{ name: 'query', type: 3, value: '503' }]));
    await until(() => storedQueries(path).length >= 1);
    expect(storedQueries(path)[0]).toMatchObject({ surface: 'discord', kind: 'code' });
  });

  it('records the calls of a triaged trace with the guild and channel they came from', async () => {
    await interact(modalSubmit('sip-triage-modal:private', trace('raw/02-busy-486.sip')));
    await until(() => storedEvents(path).length >= 1);
    expect(storedEvents(path)).toEqual([expect.objectContaining({ kind: 'failure', code: 486, method: 'INVITE', q850: 17, surface: 'discord', workspace: FAKE.guildId, channel: FAKE.channelId })]);
    await until(() => storedQueries(path).some((q) => q.kind === 'triage'));
    expect(storedQueries(path).at(-1)).toMatchObject({ surface: 'discord', kind: 'triage' });
  });

  it('turns auto-triage off and on per channel with /sip-auto', async () => {
    const offAsked = chatInput('sip-auto', [{ name: 'mode', type: 3, value: 'off' }]);
    const off = await interact(offAsked);
    expect(off.body.data.flags).toBe(64);
    expect(off.body.data.embeds[0].title).toBe('Automatic triage is off in this channel');
    // The channel is told who changed it, in a message of its own that everyone sees.
    const told = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${FAKE.appId}/${offAsked.token}`);
    expect(told.body).toMatchObject({ content: `<@${FAKE.userId}> turned automatic triage off in this channel.`, allowed_mentions: { parse: [] } });
    expect(told.body.flags ?? 0).toBe(0);
    expect(await store.channelSettings({ platform: 'discord', workspace: FAKE.guildId, channel: FAKE.channelId })).toMatchObject({ autoTriage: false });

    const ignored = userMessage(trace('raw/10-not-found-404.sip'));
    fake.dispatch('MESSAGE_CREATE', ignored);
    // Handled in order: once /sip-auto on is answered, the message before it has been dealt with.
    const on = await interact(chatInput('sip-auto', [{ name: 'mode', type: 3, value: 'on' }]));
    expect(on.body.data.embeds[0].title).toBe('Automatic triage is on in this channel');
    const answered = userMessage(trace('raw/10-not-found-404.sip'));
    fake.dispatch('MESSAGE_CREATE', answered);
    await fake.waitFor((r) => r.path === `/channels/${answered.id}/messages`);
    expect(fake.requests.some((r) => r.path.includes(ignored.id))).toBe(false);
  });
});

describe('Discord: settings kept in the store', () => {
  const ref = { platform: 'discord' as const, workspace: FAKE.guildId, channel: FAKE.channelId };
  const sip = (query: string) => chatInput('sip', [{ name: 'query', type: 3, value: query }]);

  it('subscribes the channel to the daily digest with /sip digest subscribe, and shows it in the status', async () => {
    const asked = sip('digest subscribe');
    const cb = await interact(asked);
    expect(cb.body.data.flags).toBe(64);
    expect(cb.body.data.embeds[0].title).toBe('The daily digest is posted in this channel');
    const told = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${FAKE.appId}/${asked.token}`);
    expect(told.body.content).toBe(`<@${FAKE.userId}> subscribed this channel to the daily digest.`);
    expect(await store.channelSettings(ref)).toMatchObject({ digest: true });

    expect((await interact(sip('digest status'))).body.data.embeds[0].title).toBe('The daily digest is posted in this channel');
    expect((await interact(sip('digest unsubscribe'))).body.data.embeds[0].title).toBe('The daily digest is not posted in this channel');
    expect(await store.channelSettings(ref)).toMatchObject({ digest: false });
  });

});

// Last: the store is closed, a real failure of every read and write from here on.
describe('Discord with its store down', () => {
  const sip = (query: string) => chatInput('sip', [{ name: 'query', type: 3, value: query }]);
  beforeAll(() => store.close());

  it('still answers a query, and logs that it could not be recorded', async () => {
    const cb = await interact(sip('486'));
    expect(cb.body.data.embeds[0].title).toBe('486 Busy Here');
    await until(() => logs.some((l) => l.msg === 'could not record to the store'));
    expect(logs.find((l) => l.msg === 'could not record to the store')).toMatchObject({ level: 40, what: 'query', err: { code: 'STORE_CLOSED', message: 'cannot record a query: the store is closed' } });
  });

  it('answers a setting it cannot save with a short private line and logs the error', async () => {
    const cb = await interact(sip('digest subscribe'));
    expect(cb.body.data.flags).toBe(64);
    expect(cb.body.data.embeds[0]).toMatchObject({ title: 'siptriage could not answer that' });
    expect(cb.body.data.embeds[0].description).toMatch(/^The setting was not saved: its database did not answer \(STORE_CLOSED\)/);
    await until(() => logs.some((l) => l.msg === 'could not change the channel setting'));
    expect(logs.find((l) => l.msg === 'could not change the channel setting')).toMatchObject({ level: 50, surface: 'discord', command: 'digest', err: { code: 'STORE_CLOSED' } });
  });
});

