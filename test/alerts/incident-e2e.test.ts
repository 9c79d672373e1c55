import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startService, type Service } from '../../src/app/start.js';
import { FakeDiscord } from '../adapters/discord/fake-discord.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { BOT_TOKEN, memoryLogger, SIGNING_SECRET } from '../adapters/slack/slack-service.js';
import { postSigned, slashCommand } from '../adapters/slack/slack-requests.js';
import { bothChatsEnv } from '../adapters/both-chats-env.js';

// The real service, Slack and Discord both configured against fakes on 127.0.0.1, events through POST /ingest.
// Only the alert clock is the test's, so that the spike's end does not take minutes of waiting.
const TOKEN = 'ingest-token-for-the-incident-test';
const SLACK_CHANNEL = 'C0INCIDENT1';
const DISCORD_CHANNEL = '222222222222222222';
// The digest reads the real clock: the alert clock starts at the real time so that "digest now" sees the failures.
let now = Date.now();
let service: Service;
let slack: FakeSlackApi;
let discord: FakeDiscord;

beforeAll(async () => {
  slack = await new FakeSlackApi(BOT_TOKEN).start();
  discord = await FakeDiscord.start();
  const r = loadConfig({
    ...bothChatsEnv(slack, discord),
    INGEST_TOKEN: TOKEN,
    ALERT_WINDOW_MINUTES: '5',
    ALERT_MIN_COUNT: '10',
  });
  if (!r.ok) throw new Error(r.error);
  service = await startService(r.config, memoryLogger([], 'warn'), { input: new PassThrough(), output: new PassThrough(), isTTY: false }, { now: () => now });
}, 30_000);

afterAll(async () => {
  await service?.stop();
  await slack?.stop();
  await discord?.close();
});

async function ingest(lines: object[]): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${service.address.port}/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
    body: lines.map((l) => JSON.stringify(l)).join('\n'),
  });
  expect(res.status).toBeLessThan(300);
}

const discordMessages = () => discord.requests.filter((q) => q.path === `/channels/${DISCORD_CHANNEL}/messages` && q.method === 'POST');
const discordEdits = () => discord.requests.filter((q) => q.path.startsWith(`/channels/${DISCORD_CHANNEL}/messages/`) && q.method === 'PATCH');
const slackPosts = () => slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === SLACK_CHANNEL);

describe('46 × 503 from one peer through /ingest', () => {
  it('posts exactly one alert per subscribed channel, edits it as it grows, replies once when it clears; digest now counts the failures', async () => {
    await service.alerts.command({ platform: 'slack', workspace: '', channel: SLACK_CHANNEL }, { action: 'subscribe' });
    await service.alerts.command({ platform: 'discord', workspace: '', channel: DISCORD_CHANNEL }, { action: 'subscribe' });
    // Warm the moving average with a quiet window, as a service that has been running would be.
    now += 5 * 60_000;
    await service.alerts.evaluate();
    const call = (i: number) => ({ time: now, code: 503, method: 'INVITE', peer: '203.0.113.7', q850: 34, product: 'Acme-SBC/4.2', callId: `incident-${i}@example.net` });
    await ingest(Array.from({ length: 30 }, (_, i) => call(i)));
    await service.alerts.evaluate();
    await service.alerts.settled();
    await ingest(Array.from({ length: 16 }, (_, i) => call(30 + i)));
    now += 2000;
    await service.alerts.evaluate();
    await service.alerts.settled();

    expect(slackPosts()).toHaveLength(1);
    expect(discordMessages()).toHaveLength(1);
    const updates = slack.callsTo('chat.update').filter((c) => c.args['channel'] === SLACK_CHANNEL);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.every((u) => u.args['ts'] === slackPosts()[0]?.result?.['ts'])).toBe(true);
    const latest = JSON.stringify(updates.at(-1)?.args['blocks']);
    expect(String(updates.at(-1)?.args['text'])).toMatch(/^Spike: 503 Service Unavailable from 203\.0\.113\.7: 46 calls failed in the last 5 min/);
    expect(latest).toContain('34 No circuit/channel available');
    expect(latest).toContain('Acme-SBC/4.2 (46 of 46)');
    for (const label of ['What 503 means', 'Stats by peer', 'Acknowledge', 'Mute 1 h']) expect(latest).toContain(label);
    expect(discordEdits().length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(discordEdits().at(-1)?.body)).toContain('46 calls failed');

    // /sip alerts says what spikes in words.
    const status = await service.alerts.command({ platform: 'slack', workspace: '', channel: SLACK_CHANNEL }, { action: 'status' });
    expect(status.summary).toBe('Spiking now: 503 Service Unavailable from 203.0.113.7.');
    // Right after the failures, /sip digest now counts them: no "All clear".
    await postSigned(`http://127.0.0.1:${service.address.port}/slack/events`, SIGNING_SECRET, slashCommand('digest now', slack.responseUrl('dnow')));
    const answer = await slack.waitFor(() => slack.responses.find((x) => x.id === 'dnow'), 'the digest now answer');
    expect(String(answer.body['text'])).not.toMatch(/All clear/);
    expect(JSON.stringify(answer.body['blocks'])).toContain('503 Service Unavailable: 46');

    // The window slides past: one last edit and one reply under each alert, nothing else.
    now += 6 * 60_000;
    await service.alerts.evaluate();
    await service.alerts.settled();
    const replies = slackPosts().slice(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.args['thread_ts']).toBe(slackPosts()[0]?.result?.['ts']);
    expect(String(replies[0]?.args['text'])).toMatch(/^Resolved: 503 Service Unavailable from 203\.0\.113\.7\. Back to normal/);
    const discordReplies = discordMessages().slice(1);
    expect(discordReplies).toHaveLength(1);
    expect(discordReplies[0]?.body.message_reference?.message_id).toBeDefined();
    const final = slack.callsTo('chat.update').filter((c) => c.args['channel'] === SLACK_CHANNEL).at(-1);
    expect(String(final?.args['text'])).toMatch(/^Resolved: 503 Service Unavailable from 203\.0\.113\.7/);
    // The resolved alert keeps the breakdown.
    expect(JSON.stringify(final?.args['blocks'])).toContain('203.0.113.7: 46');
  }, 60_000);
});
