import { beforeAll, describe, expect, it } from 'vitest';
import { discordBudget, slackBudget } from '../../scripts/preview/budgets.js';
import { PREVIEW_CASES } from '../../scripts/preview/cases.js';
import { collectPreview } from '../../scripts/preview/collect.js';
import type { CapturedCase } from '../../scripts/preview/payloads.js';
import { pngSize } from '../../scripts/preview/payloads.js';
import { expectWithinDiscordLimits } from '../adapters/discord/discord-limits.js';
import { expectWithinSlackLimits } from '../adapters/slack/block-limits.js';
import { snapshotView } from './payload-view.js';

// The payloads the service sends for the answers issue 20 looks at, made by the real handlers and services
// on a fixed clock: a change to any answer shows here as a snapshot diff to review (`vitest -u` to accept).
let cases: CapturedCase[];

beforeAll(async () => {
  cases = await collectPreview();
}, 60_000);

const byId = (id: string): CapturedCase => {
  const c = cases.find((x) => x.case.id === id);
  if (c === undefined) throw new Error(`no case ${id}`);
  return c;
};

describe('preview payloads', () => {
  it('answers every case on both platforms', () => {
    expect(cases.map((c) => c.case.id)).toEqual(PREVIEW_CASES.map((c) => c.id));
    for (const c of cases) {
      expect(c.slack.length, `${c.case.id} on Slack`).toBeGreaterThan(0);
      expect(c.discord.length, `${c.case.id} on Discord`).toBeGreaterThan(0);
    }
  });

  it.each(PREVIEW_CASES.map((c) => c.id))('%s matches its snapshot', async (id) => {
    await expect(JSON.stringify(snapshotView(byId(id)), null, 2) + '\n').toMatchFileSnapshot(`./__snapshots__/${id}.json`);
  });

  it('keeps every Slack message within Block Kit limits (50 blocks, 3000 characters a text)', () => {
    for (const c of cases) {
      for (const p of c.slack.filter((x) => x.blocks.length > 0)) expectWithinSlackLimits({ text: p.text, blocks: p.blocks });
      expect(slackBudget(c.slack).maxBlocks, c.case.id).toBeLessThanOrEqual(50);
      expect(slackBudget(c.slack).longestText, c.case.id).toBeLessThanOrEqual(3000);
    }
  });

  it('keeps every Discord message within embed limits (25 fields, 1024 a field, 6000 an embed)', () => {
    for (const c of cases) {
      for (const p of c.discord) expectWithinDiscordLimits({ content: p.content, embeds: p.embeds, components: p.components });
      expect(discordBudget(c.discord).firstChars, c.case.id).toBeLessThanOrEqual(6000);
    }
  });

  // Issue 20: the first /sip <code> answer fits one screen, whatever the code.
  it.each(['code-503', 'code-486'])('keeps the first %s answer to 1,500 characters in at most 8 blocks or one embed', (id) => {
    const c = byId(id);
    const slack = slackBudget(c.slack);
    expect(slack.messages).toBe(1);
    expect(slack.firstBlocks).toBeLessThanOrEqual(8);
    expect(slack.firstChars).toBeLessThanOrEqual(1500);
    const discord = discordBudget(c.discord);
    expect(discord.messages).toBe(1);
    expect(discord.firstEmbeds).toBe(1);
    expect(discord.firstChars).toBeLessThanOrEqual(1500);
  });

  it('answers a pasted trace in the thread, with the failing call drawn', () => {
    for (const id of ['trace-asterisk-b2bua', 'trace-twilio-503', 'trace-opensips-503', 'capture-503']) {
      const c = byId(id);
      expect(c.slack.every((p) => p.inThread), id).toBe(true);
      const ladders = [...c.slack, ...c.discord].flatMap((p) => p.images).filter((i) => i.filename === 'ladder.png');
      expect(ladders.length, id).toBe(2);
      for (const l of ladders) expect(pngSize(l.png).width, id).toBeGreaterThan(0);
    }
  });

  it('posts one alert per channel for the spike and one reply when it resolves', () => {
    const open = byId('alert-open');
    expect(open.slack).toHaveLength(1);
    expect(open.discord).toHaveLength(1);
    const resolved = byId('alert-resolved');
    expect(resolved.slack).toHaveLength(2);
    expect(resolved.slack[1]?.inThread).toBe(true);
    expect(resolved.discord).toHaveLength(2);
    expect(resolved.discord[1]?.reply).toBe(true);
  });
});
