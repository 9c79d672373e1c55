import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { botUser, chatInput, FAKE, otherBot, userMessage } from './fake-payloads.js';

const trace = (file: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/traces', file), 'utf8');

let run: Running;
beforeAll(async () => {
  run = await startAgainstFake({ DISCORD_AUTO_TRIAGE: 'true' });
});
afterAll(async () => run?.stop());

const threadFor = (message: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${FAKE.channelId}/messages/${message.id}/threads`;
// A thread started from a message has that message's id (Discord's docs on Start Thread from Message).
const postedIn = (threadId: string) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`;
const mentions = (message: any) => (r: RecordedRequest) => r.path.includes(message.id);

describe('automatic triage of pasted traces', () => {
  it('asks the gateway for message events and the Message Content intent', () => {
    // Guilds (1) | GuildMessages (512) | MessageContent (32768)
    expect(run.fake.identifies[0]?.intents).toBe(1 | 512 | 32768);
  });

  it('answers a pasted trace in a thread on the message, with the summary and the cards', async () => {
    const message = userMessage(`Outbound calls fail at peak:\n${trace('sngrep/03-unavailable-503.txt')}`);
    run.fake.dispatch('MESSAGE_CREATE', message);
    const thread = await run.fake.waitFor(threadFor(message));
    expect(thread.body).toMatchObject({ name: 'Triage: SIP trace: 1 call, 1 failed', auto_archive_duration: 1440 });
    const post = await run.fake.waitFor(postedIn(message.id));
    expect(post.body.embeds.map((e: any) => e.title)).toEqual(['SIP trace: 1 call, 1 failed', 'INVITE → 503 Service Unavailable (failed)']);
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    expectWithinDiscordLimits(post.body);
  });

  it('never answers bots, itself or messages without SIP', async () => {
    const fromBot = userMessage(trace('raw/02-busy-486.sip'), { author: otherBot });
    const fromItself = userMessage(trace('raw/02-busy-486.sip'), { author: botUser });
    const chatter = userMessage('Anyone seen 486s from the carrier today? SIP/2.0 is fine here');
    const real = userMessage(trace('raw/10-not-found-404.sip'));
    for (const m of [fromBot, fromItself, chatter, real]) run.fake.dispatch('MESSAGE_CREATE', m);
    // Events are handled in order and thread creation shares one rate-limit queue per channel, so once the
    // last message's answer is in, an answer to the earlier ones would have been too.
    await run.fake.waitFor(postedIn(real.id));
    for (const m of [fromBot, fromItself, chatter]) expect(run.fake.requests.filter(mentions(m))).toEqual([]);
  });

  it('replies in place to a trace pasted inside a thread, without opening another', async () => {
    const threadId = '1300000000000077777';
    run.fake.dispatch('THREAD_CREATE', {
      id: threadId,
      type: 11,
      guild_id: FAKE.guildId,
      parent_id: FAKE.channelId,
      owner_id: FAKE.userId,
      name: 'incident 42',
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: '2026-11-25T12:00:00.000000+00:00', locked: false },
      newly_created: true,
    });
    const message = userMessage(trace('raw/07-register-423.sip'), { channelId: threadId });
    run.fake.dispatch('MESSAGE_CREATE', message);
    const reply = await run.fake.waitFor(postedIn(threadId));
    expect(reply.body.message_reference).toMatchObject({ message_id: message.id });
    expect(reply.body.embeds[0].title).toBe('SIP trace: 1 call, 1 failed');
    expect(run.fake.requests.some(threadFor(message))).toBe(false);
  });

  it('waits out a rate limit instead of dropping the answer', async () => {
    run.fake.rateLimit('POST', /^\/channels\/\d+\/messages$/, 1);
    const message = userMessage(trace('raw/08-cancel-487.sip'));
    run.fake.dispatch('MESSAGE_CREATE', message);
    const post = await run.fake.waitFor(postedIn(message.id));
    expect(run.fake.limited.map((r) => r.path)).toContain(`/channels/${message.id}/messages`);
    expect(post.body.embeds[0].title).toMatch(/^SIP trace: 1 call/);
  });

  it('saves /sip-auto in the store the service opened', async () => {
    const auto = async (value: string): Promise<any> => {
      const payload = chatInput('sip-auto', [{ name: 'mode', type: 3, value }]);
      run.fake.dispatch('INTERACTION_CREATE', payload);
      return run.fake.waitFor((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    };
    const off = await auto('off');
    expect(off.body.data.flags).toBe(64);
    expect(off.body.data.embeds[0].title).toBe('Automatic triage is off in this channel');
    expect((await auto('status')).body.data.embeds[0].title).toBe('Automatic triage is off in this channel');
    expect((await auto('on')).body.data.embeds[0].title).toBe('Automatic triage is on in this channel');
  });
});
