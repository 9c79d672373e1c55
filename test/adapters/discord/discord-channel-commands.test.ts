import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/core/card/card.js';
import { noticeCard } from '../../../src/core/card/notice-card.js';
import { counterValue } from '../../ingest/metrics-reader.js';
import { interact as interactWith, startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { autocomplete, buttonClick, chatInput, FAKE, messageObject, modalSubmit } from './fake-payloads.js';

const EPHEMERAL = 64;

// The real service from the real start-up code, with its store (SQLite in memory) and the stats service on it.
let run: Running;
beforeAll(async () => {
  run = await startAgainstFake();
});
afterAll(async () => run?.stop());

const interact = (payload: any): Promise<RecordedRequest> => interactWith(run, payload);
const sip = (query: string, extra: object[] = []) => chatInput('sip', [{ name: 'query', type: 3, value: query }, ...extra]);
const followUp = (payload: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${FAKE.appId}/${payload.token}`;
const commands = (kind: string) => counterValue(run.service.metrics, 'siptriage_chat_commands_total', { surface: 'discord', kind });

describe('Discord: /sip channel commands through the shared module', () => {
  it('answers /sip stats from the store through the running stats service, in the channel when asked public', async () => {
    const cb = await interact(sip('stats 7d', [{ name: 'public', type: 5, value: true }]));
    expect(cb.body.data.flags ?? 0).not.toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].title).toBe('SIP errors, the last 7 days, by code');
    // A new store: nothing recorded yet, said in so many words.
    expect(JSON.stringify(cb.body.data.embeds[0])).toContain('No SIP errors recorded in the last 7 days, nor in the 7 days before.');
    expectWithinDiscordLimits(cb.body.data);
  });

  it('counts what was triaged here: /sip stats shows it privately, with its codes as buttons and Share', async () => {
    await interact(modalSubmit('sip-triage-modal:private', readFileSync(join(import.meta.dirname, '../../fixtures/traces/raw/02-busy-486.sip'), 'utf8')));
    // Recorded after the answer is sent: ask until the store has it (no timer on the outcome).
    let cb = await interact(sip('stats'));
    while (!JSON.stringify(cb.body.data.embeds[0]).includes('486 Busy Here')) cb = await interact(sip('stats'));
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].title).toBe('SIP errors, the last 24 hours, by code');
    expect(cb.body.data.components.map((row: any) => row.components.map((c: any) => [c.label, c.custom_id]))).toEqual([[['486 Busy Here', 'sip-query:486']], [['Share', 'sip-share:stats']]]);
    expectWithinDiscordLimits(cb.body.data);
  });

  it('subscribes the channel to the daily digest in the store, tells the channel who did, and shows it in the status', async () => {
    expect((await interact(sip('digest'))).body.data.embeds[0].title).toBe('The daily digest is not posted in this channel');
    const asked = sip('digest subscribe');
    const cb = await interact(asked);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].title).toBe('The daily digest is posted in this channel');
    const told = await run.fake.waitFor(followUp(asked));
    expect(told.body.content).toBe(`<@${FAKE.userId}> subscribed this channel to the daily digest.`);
    expect((await interact(sip('digest status'))).body.data.embeds[0].title).toBe('The daily digest is posted in this channel');
    expect((await interact(sip('digest unsubscribe'))).body.data.embeds[0].title).toBe('The daily digest is not posted in this channel');
    expect((await interact(sip('digest'))).body.data.embeds[0].title).toBe('The daily digest is not posted in this channel');
  });

  it('hands /sip alerts subscribe to the alert service, tells the channel who did it, and shows it on in the status', async () => {
    const before = await commands('alerts');
    const asked = sip('alerts subscribe');
    const cb = await interact(asked);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].title).toBe('Spike alerts will be posted here');
    expectWithinDiscordLimits(cb.body.data);
    const told = await run.fake.waitFor(followUp(asked));
    expect(told.body).toMatchObject({ content: `<@${FAKE.userId}> subscribed this channel to spike alerts.`, allowed_mentions: { parse: [] } });
    expect(told.body.flags ?? 0).toBe(0);

    const status = await interact(sip('alerts'));
    expect(status.body.data.embeds[0].fields).toEqual(expect.arrayContaining([{ name: 'Alerts here', value: 'on', inline: true }]));
    expect((await commands('alerts')) - before).toBe(2);
  });

  it('refuses a settings change from someone who may not manage the channel', async () => {
    const asked = sip('alerts unsubscribe');
    asked.member.permissions = '0';
    const cb = await interact(asked);
    expect(cb.body.data).toMatchObject({ flags: EPHEMERAL, content: 'Changing what siptriage does in this channel needs the Manage Channels permission.' });
    const status = await interact(sip('alerts'));
    expect(status.body.data.embeds[0].fields).toEqual(expect.arrayContaining([{ name: 'Alerts here', value: 'on', inline: true }]));
  });

  it('counts every /sip command by kind', async () => {
    const before = { stats: await commands('stats'), code: await commands('code') };
    await interact(sip('stats'));
    await interact(sip('503'));
    expect((await commands('stats')) - before.stats).toBe(1);
    expect((await commands('code')) - before.code).toBe(1);
  });

  it('counts a trace triaged from the /sip-triage form as a triage command', async () => {
    const before = await commands('triage');
    await interact(modalSubmit('sip-triage-modal:private', 'SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nCall-ID: a@b\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nContent-Length: 0\r\n\r\n'));
    expect((await commands('triage')) - before).toBe(1);
  });

  it('answers a card action button with its query, privately, with a Share button', async () => {
    const cb = await interact(buttonClick('sip-query:486', messageObject(FAKE.channelId, { content: 'digest' })));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].title).toBe('486 Busy Here');
    // Issue 20: the part buttons come first; Share keeps its row, the last one.
    expect(cb.body.data.components.at(-1).components[0]).toMatchObject({ custom_id: 'sip-share:486' });
  });

  it('offers the channel commands in autocomplete', async () => {
    const cb = await interact(autocomplete('dig'));
    expect(cb.body.data.choices.slice(0, 3)).toEqual([
      { name: '/sip digest', value: 'digest' },
      { name: '/sip digest subscribe', value: 'digest subscribe' },
      { name: '/sip digest now', value: 'digest now' },
    ]);
  });

  it('posts cards with actions (a digest) with their buttons within Discord limits', async () => {
    const poster = run.service.posters.find((p) => p.platform === 'discord');
    if (poster === undefined) throw new Error('no Discord poster');
    const actions = Array.from({ length: 30 }, (_, i) => ({ label: `${400 + i} ${'long label '.repeat(10)}`, query: String(400 + i) }));
    const card: Card = { ...noticeCard('SIP digest', ['31 failures.']), actions: [...actions, { label: 'again', query: '400' }, { label: 'too long', query: 'x'.repeat(120) }] };
    await poster.post({ platform: 'discord', workspace: FAKE.guildId, channel: '1200000000000000777' }, { text: 'SIP digest', cards: [card] });
    const posted = await run.fake.waitFor((r) => r.method === 'POST' && r.path === '/channels/1200000000000000777/messages');
    expectWithinDiscordLimits(posted.body);
    const ids = posted.body.components.flatMap((r: any) => r.components.map((c: any) => c.custom_id));
    expect(ids).toHaveLength(25);
    expect(ids[0]).toBe('sip-query:400');
  });
});
