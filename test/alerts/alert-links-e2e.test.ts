import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startService, type Service } from '../../src/app/start.js';
import { FakeDiscord } from '../adapters/discord/fake-discord.js';
import { expectWithinDiscordLimits } from '../adapters/discord/discord-limits.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { expectWithinSlackLimits } from '../adapters/slack/block-limits.js';
import { BOT_TOKEN, memoryLogger, SIGNING_SECRET } from '../adapters/slack/slack-service.js';
import { postSigned, slashCommand } from '../adapters/slack/slack-requests.js';
import { bothChatsEnv } from '../adapters/both-chats-env.js';

// The real service with PUBLIC_URL and METRICS_TOKEN set, Slack and Discord against fakes on 127.0.0.1: a
// spike of SIPp's 503 call arrives through /ingest, the alert lists the kept calls with ladder links, and
// each link opens the ladder from the running /calls route with no bearer token, as a browser would.
const INGEST = 'ingest-token-for-alert-links';
const METRICS = 'metrics-token-for-alert-links';
const PUBLIC = 'https://siptriage.example.com';
const SLACK_CHANNEL = 'C0ALERTLNK1';
const DISCORD_CHANNEL = '333333333333333333';
const SIPP_503 = readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/03-unavailable-503.sip'), 'utf8');
const SIPP_CALL_ID = '1-1e708cbbde3f307a@uac.example.com';

// The longest Call-ID siptriage shows (128 characters), made of the RFC 3261 "word" characters that URL
// encoding triples: the worst case for the length of a link.
const worstCallId = (i: number): string => `${i}${'"<>{}[]\\`/?:!*()\'+%'.repeat(10)}`.slice(0, 127) + '@';

let now = Date.now();
let service: Service;
let slack: FakeSlackApi;
let discord: FakeDiscord;
let base = '';

beforeAll(async () => {
  slack = await new FakeSlackApi(BOT_TOKEN).start();
  discord = await FakeDiscord.start();
  const r = loadConfig({
    ...bothChatsEnv(slack, discord),
    INGEST_TOKEN: INGEST,
    METRICS_TOKEN: METRICS,
    PUBLIC_URL: `${PUBLIC}/`,
    ALERT_WINDOW_MINUTES: '5',
    ALERT_MIN_COUNT: '3',
  });
  if (!r.ok) throw new Error(r.error);
  service = await startService(r.config, memoryLogger([], 'warn'), { input: new PassThrough(), output: new PassThrough(), isTTY: false }, { now: () => now, pacerIntervalMs: 10 });
  base = `http://127.0.0.1:${service.address.port}`;
}, 30_000);

afterAll(async () => {
  await service?.stop();
  await slack?.stop();
  await discord?.close();
});

/** The URL behind PUBLIC_URL, as the proxy in front of siptriage would forward it. */
const served = (url: string): string => url.replace(PUBLIC, base);

describe('a spike alert with PUBLIC_URL set', () => {
  it('lists kept calls with ladder links that open the SVG without the bearer token, within Slack and Discord limits', async () => {
    await service.alerts.command({ platform: 'slack', workspace: '', channel: SLACK_CHANNEL }, { action: 'subscribe' });
    await service.alerts.command({ platform: 'discord', workspace: '', channel: DISCORD_CHANNEL }, { action: 'subscribe' });
    // A quiet window first: new incidents wait for a warm baseline. Events carry their real arrival time.
    now += 5 * 60_000;
    await service.alerts.evaluate();
    const ids = [0, 1, 2, 3, 4].map(worstCallId);
    const body = ids.map((id) => SIPP_503.replaceAll(SIPP_CALL_ID, id)).join('\n');
    const res = await fetch(`${base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'text/plain' }, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kept?: number }).kept).toBe(5);
    now += 1000;
    await service.alerts.evaluate();
    await service.alerts.settled();

    // The alert's message as it stands: its post, or its latest edit (the pacer sends only the newest content).
    const slackUpdate = [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.update')].filter((c) => c.args['channel'] === SLACK_CHANNEL).at(-1);
    expect(slackUpdate).toBeDefined();
    expectWithinSlackLimits(slackUpdate?.args ?? {});
    const slackLinks = [...JSON.stringify(slackUpdate?.args['blocks']).matchAll(/<(https:[^|>]+)\|ladder>/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
    expect(slackLinks).toHaveLength(3);

    const discordEdit = discord.requests.filter((q) => q.path.startsWith(`/channels/${DISCORD_CHANNEL}/messages`) && (q.method === 'PATCH' || q.method === 'POST')).at(-1);
    expect(discordEdit).toBeDefined();
    expectWithinDiscordLimits(discordEdit?.body);
    const embedText = JSON.stringify(discordEdit?.body);
    // Three worst-case links are more than a 1024-character field holds: the rows stay, links go last first.
    expect(embedText).toContain('Example calls');
    expect(embedText.match(/ 503 INVITE/g)?.length).toBe(3);
    const discordLinks = [...embedText.matchAll(/\[ladder\]\((https:[^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(discordLinks.length).toBeGreaterThanOrEqual(1);
    expect(discordLinks.length).toBeLessThan(3);

    for (const url of [...slackLinks, ...discordLinks]) {
      expect(url.startsWith(`${PUBLIC}/calls/`)).toBe(true);
      expect(url).not.toContain(METRICS);
      const ladder = await fetch(served(url));
      expect(ladder.status, url).toBe(200);
      expect(ladder.headers.get('content-type')).toBe('image/svg+xml');
      const svg = await ladder.text();
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('503 Service Unavailable');
    }
    // Each link opens its own call, and only with its signature.
    const opened = slackLinks.map((u) => decodeURIComponent(new URL(u).pathname.slice('/calls/'.length)));
    expect(new Set(opened).size).toBe(3);
    for (const id of opened) expect(ids).toContain(id);
    expect((await fetch(served(slackLinks[0]?.replace(/sig=[^&]+/, 'sig=' + 'A'.repeat(43)) ?? ''))).status).toBe(401);
  }, 60_000);

  it('links the ladder of the latest kept call from the digest rows of the top code and peer', async () => {
    await postSigned(`${base}/slack/events`, SIGNING_SECRET, slashCommand('digest now', slack.responseUrl('links-digest')));
    const answer = await slack.waitFor(() => slack.responses.find((x) => x.id === 'links-digest'), 'the digest now answer');
    expectWithinSlackLimits(answer.body);
    const blocks = JSON.stringify(answer.body['blocks']);
    const rows = [...blocks.matchAll(/(?:\d\. 503 Service Unavailable|• example\.net)[^"]*?<(https:[^|>]+)\|ladder>/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
    expect(rows).toHaveLength(2);
    for (const url of rows) {
      const ladder = await fetch(served(url));
      expect(ladder.status, url).toBe(200);
      expect(await ladder.text()).toContain('503 Service Unavailable');
    }
  }, 30_000);
});
