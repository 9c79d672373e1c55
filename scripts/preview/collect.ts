import type { ChannelRef } from '../../src/core/chat-port.js';
import type { CallEvent } from '../../src/core/triage/call-events.js';
import { hashCallId } from '../../src/core/triage/call-events.js';
import { PREVIEW_CASES, type PreviewCase } from './cases.js';
import { DISCORD_CHANNEL, discordSide, type DiscordSide } from './discord-capture.js';
import { startFileHost } from './file-server.js';
import type { AnswerModel, CapturedCase, DiscordPost, SlackPost } from './payloads.js';
import { codeAnswer } from '../../src/core/card/code-answer.js';
import { parseQuery } from '../../src/core/query/parse-query.js';
import { SLACK_CHANNEL, slackSide, type SlackSide } from './slack-capture.js';
import { openWorld, SPIKE_PEER, type PreviewWorld } from './world.js';

const SLACK_REF: ChannelRef = { platform: 'slack', workspace: '', channel: SLACK_CHANNEL };
const DISCORD_REF: ChannelRef = { platform: 'discord', workspace: '', channel: DISCORD_CHANNEL };

interface Sides {
  readonly world: PreviewWorld;
  readonly slack: SlackSide;
  readonly discord: DiscordSide;
}

/**
 * Every preview case answered by the real service code: /sip and pasted traces through the adapters'
 * handlers, the spike alert and the digest through the alert and digest services posting with the
 * adapters' posters. What comes back is exactly what Slack's and Discord's APIs would have been sent.
 */
export async function collectPreview(cases: readonly PreviewCase[] = PREVIEW_CASES): Promise<CapturedCase[]> {
  const world = await openWorld();
  const host = await startFileHost();
  try {
    const sides: Sides = { world, slack: slackSide(world, host), discord: discordSide(world, host) };
    for (const poster of [sides.slack.poster, sides.discord.poster]) {
      world.alerts.attachPoster(poster);
      world.digest.attachPoster(poster);
    }
    const out = new Map<string, CapturedCase>();
    // The spike runs first, so that stats and the digest asked afterwards count it, as they would at 3 a.m.
    const alert = await runSpike(sides);
    for (const c of cases) {
      if (c.input.kind === 'alert') out.set(c.id, { case: c, ...alert[c.input.state] });
    }
    for (const c of cases) {
      if (c.input.kind === 'query' || c.input.kind === 'paste' || c.input.kind === 'file') {
        const model = c.input.kind === 'query' ? answerModel(world, c.input.query) : undefined;
        out.set(c.id, { case: c, ...(model === undefined ? {} : { model }), slack: await sides.slack.answer(c), discord: await sides.discord.answer(c) });
      }
    }
    for (const c of cases) if (c.input.kind === 'digest') out.set(c.id, { case: c, ...(await runDigest(sides)) });
    return cases.flatMap((c) => {
      const got = out.get(c.id);
      return got === undefined ? [] : [got];
    });
  } finally {
    await host.close();
    await world.close();
  }
}

/** The code answer model's headline (code and reason, the one-line why) and do-now lines, for `/sip <code>`. */
function answerModel(world: PreviewWorld, query: string): AnswerModel | undefined {
  const q = parseQuery(query);
  const entry = q.kind === 'code' ? world.kb.code(q.code) : undefined;
  if (entry === undefined) return undefined;
  const answer = codeAnswer(world.kb, entry);
  return { headline: [`${answer.code} ${answer.reason}`, answer.why], doNow: answer.doNow };
}

type Posts = { slack: SlackPost[]; discord: DiscordPost[] };

/** 46 × 503 from one peer in two batches, as the /ingest end-to-end test sends them; then the window slides past. */
async function runSpike({ world, slack, discord }: Sides): Promise<{ open: Posts; resolved: Posts }> {
  await world.alerts.command(SLACK_REF, { action: 'subscribe' });
  await world.alerts.command(DISCORD_REF, { action: 'subscribe' });
  world.clock.now += 5 * 60_000;
  await world.alerts.evaluate();
  const from = { slack: slack.recorder.messages.length, discord: discord.recorder.messages.length };
  const call = (i: number): CallEvent => ({
    time: world.clock.now,
    kind: 'failure',
    code: 503,
    method: 'INVITE',
    peer: SPIKE_PEER,
    product: 'Acme-SBC/4.2',
    q850: 34,
    findings: [],
    callIdHash: hashCallId(`incident-${i}@example.net`),
  });
  for (const batch of [Array.from({ length: 30 }, (_, i) => call(i)), Array.from({ length: 16 }, (_, i) => call(30 + i))]) {
    await world.store.recordEvents(batch.map((e) => ({ ...e, surface: 'http' as const, workspace: null, channel: null })));
    for (const e of batch) world.alerts.observe(e);
    await world.alerts.evaluate();
    await world.alerts.settled();
    world.clock.now += 2000;
  }
  const open = { slack: slack.recorder.since(from.slack), discord: discord.recorder.since(from.discord) };
  world.clock.now += 6 * 60_000;
  await world.alerts.evaluate();
  await world.alerts.settled();
  return { open, resolved: { slack: slack.recorder.since(from.slack), discord: discord.recorder.since(from.discord) } };
}

/** The scheduled digest, posted to a channel of each platform that subscribed to it. */
async function runDigest({ world, slack, discord }: Sides): Promise<Posts> {
  await world.store.updateChannelSettings(SLACK_REF, { digest: true });
  await world.store.updateChannelSettings(DISCORD_REF, { digest: true });
  const from = { slack: slack.recorder.messages.length, discord: discord.recorder.messages.length };
  const at = world.digest.latestScheduled(world.clock.now);
  if (at === undefined) throw new Error('no digest is scheduled before the preview clock');
  await world.digest.runScheduled(at);
  return { slack: slack.recorder.since(from.slack), discord: discord.recorder.since(from.discord) };
}
