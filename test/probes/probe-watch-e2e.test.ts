import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startService, type Service } from '../../src/app/start.js';
import { FakeDiscord } from '../adapters/discord/fake-discord.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { BOT_TOKEN, memoryLogger, SIGNING_SECRET } from '../adapters/slack/slack-service.js';
import { postSigned, slashCommand } from '../adapters/slack/slack-requests.js';
import { run, stop, type Running } from '../ingest/sip-tools.js';
import { freePorts, missingProbeTools, PROBE_FIXTURES } from './probe-peers.js';
import { bothChatsEnv } from '../adapters/both-chats-env.js';

// The real service with Slack and Discord on fakes (127.0.0.1), SIPp answering OPTIONS on 127.0.0.1: a
// watch from a Slack slash command and one for a Discord channel, SIPp stopped (down) and started again (up).
const missing = missingProbeTools(['sipp']);
const skip = missing.length > 0 && process.env.CI === undefined;
const SLACK_CHANNEL = 'C0SIPTRIAGE';
const DISCORD_CHANNEL = '333333333333333333';
const INTERVAL_MS = 200;

describe.skipIf(skip)(`a watched target going down and coming back${skip ? ` [skipped: ${missing.join(', ')} missing]` : ''}`, () => {
  let service: Service;
  let slack: FakeSlackApi;
  let discord: FakeDiscord;
  let dir = '';
  let port = 0;
  let sipp: Running | undefined;
  const startSipp = (): Running => run('sipp', ['-sf', join(PROBE_FIXTURES, 'options-200.xml'), '-i', '127.0.0.1', '-p', String(port), '-nostdin', '-timeout', '120s'], { cwd: dir });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'siptriage-probe-watch-'));
    [port = 0] = await freePorts(1);
    slack = await new FakeSlackApi(BOT_TOKEN).start();
    discord = await FakeDiscord.start();
    const r = loadConfig({
      ...bothChatsEnv(slack, discord),
      PROBE_ALLOW: '127.0.0.1',
      PROBE_ALLOW_PRIVATE: 'true',
      PROBE_TIMEOUT_SECONDS: '1',
      PROBE_DOWN_AFTER: '2',
    });
    if (!r.ok) throw new Error(r.error);
    // Intervals of 200 ms through the service's options, never the environment's defaults.
    service = await startService(r.config, memoryLogger([], 'warn'), { input: new PassThrough(), output: new PassThrough(), isTTY: false }, { probeTickMs: 50, probeMinIntervalMs: 100, pacerIntervalMs: 50 });
  }, 30_000);

  afterAll(async () => {
    if (sipp !== undefined) await stop(sipp);
    await service?.stop();
    await slack?.stop();
    await discord?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const slackPosts = () => slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === SLACK_CHANNEL);
  const slackUpdates = () => slack.callsTo('chat.update').filter((c) => c.args['channel'] === SLACK_CHANNEL);
  const discordPosts = () => discord.requests.filter((q) => q.path === `/channels/${DISCORD_CHANNEL}/messages` && q.method === 'POST');
  const discordEdits = () => discord.requests.filter((q) => q.path.startsWith(`/channels/${DISCORD_CHANNEL}/messages/`) && q.method === 'PATCH');
  const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const slash = async (text: string, id: string): Promise<Record<string, unknown>> => {
    await postSigned(`http://127.0.0.1:${service.address.port}/slack/events`, SIGNING_SECRET, slashCommand(text, slack.responseUrl(id)));
    return (await slack.waitFor(() => slack.responses.find((x) => x.id === id), id)).body;
  };

  it('refuses to watch a target the allow-list leaves out, in one sentence, and stores nothing', async () => {
    const answer = await slash('probe watch sip:203.0.113.9 30s', 'refused');
    expect(JSON.stringify(answer)).toContain("203.0.113.9 is not on this siptriage's probe allow-list (PROBE_ALLOW), so it will not be probed from here.");
    expect(await service.watching?.commands.store.watches()).toEqual([]);
  });

  it('posts exactly one alert per channel when SIPp stops, edits that message when it answers again, and replies once under it', async () => {
    const target = `sip:127.0.0.1:${port}`;
    sipp = startSipp();
    await new Promise((r) => setTimeout(r, 400));
    const watched = await slash(`probe watch ${target} ${INTERVAL_MS}ms`, 'watch');
    expect(JSON.stringify(watched)).toContain(`Watching ${target}`);
    const store = service.watching?.commands.store;
    if (store === undefined) throw new Error('no probe store');
    await store.watch({ watcher: `discord::${DISCORD_CHANNEL}`, target, intervalMs: INTERVAL_MS, createdAt: Date.now() });
    await until('the target up', async () => (await store.targetStates()).some((s) => s.status === 'up'));
    expect(slackPosts()).toHaveLength(0);

    // Metrics: up, the last code and the round trip, labelled by the target.
    const metrics = await (await fetch(`http://127.0.0.1:${service.address.port}/metrics`)).text();
    expect(metrics).toContain(`siptriage_probe_up{target="${target}"} 1`);
    expect(metrics).toContain(`siptriage_probe_last_code{target="${target}"} 200`);
    expect(metrics).toMatch(new RegExp(`siptriage_probe_rtt_seconds_count\\{target="${target.replace(/\./g, '\\.')}"\\} [1-9]`));

    await stop(sipp);
    await until('the down alert in both channels', () => slackPosts().length >= 1 && discordPosts().length >= 1);
    await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
    expect(slackPosts()).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
    expect(String(slackPosts()[0]?.args['text'])).toMatch(new RegExp(`^Down: ${target.replace(/\./g, '\\.')} failed 2 probes in a row; down since \\d\\d:\\d\\d UTC \\(last: 408, no answer\\)\\.$`));
    const down = await (await fetch(`http://127.0.0.1:${service.address.port}/metrics`)).text();
    expect(down).toContain(`siptriage_probe_up{target="${target}"} 0`);
    expect(down).toContain(`siptriage_probe_last_code{target="${target}"} 408`);

    sipp = startSipp();
    await until('the recovery in both channels', () => slackPosts().length >= 2 && discordPosts().length >= 2);
    await service.watching?.settled();
    await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
    await service.watching?.settled();

    // One post per channel for the outage; the recovery is an edit of it and one reply under it.
    const ts = slackPosts()[0]?.result?.['ts'];
    expect(slackPosts()).toHaveLength(2);
    expect(slackPosts()[1]?.args['thread_ts']).toBe(ts);
    expect(String(slackPosts()[1]?.args['text'])).toMatch(new RegExp(`^Resolved: ${target.replace(/\./g, '\\.')} is back up after \\d+ s\\.$`));
    expect(slackUpdates().length).toBeGreaterThanOrEqual(1);
    expect(slackUpdates().every((u) => u.args['ts'] === ts)).toBe(true);
    expect(String(slackUpdates().at(-1)?.args['text'])).toMatch(/^Back up: .* answers again \(200 in \d+ ms\)/);
    expect(discordPosts()).toHaveLength(2);
    expect(discordPosts()[1]?.body.message_reference?.message_id).toBeDefined();
    expect(discordEdits().length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(discordEdits().at(-1)?.body)).toContain('Back up');
    expect((await store.targetStates())[0]).toMatchObject({ status: 'up', alerts: {} });

    // /sip probe list shows it; unwatch stops it for Slack, Discord still watches.
    expect(JSON.stringify(await slash('probe list', 'list'))).toContain(`${target} every 200 ms: up (200 in`);
    expect(JSON.stringify(await slash(`probe unwatch ${target}`, 'unwatch'))).toContain(`No longer watching ${target}`);
    expect((await store.watches()).map((w) => w.watcher)).toEqual([`discord::${DISCORD_CHANNEL}`]);
  }, 60_000);
});
