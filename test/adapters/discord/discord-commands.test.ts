import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigTrace } from './big-trace.js';
import { interact as interactWith, startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { autocomplete, buttonClick, chatInput, FAKE, messageMenu, modalSubmit, userMessage } from './fake-payloads.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const trace = (file: string): string => readFileSync(join(FIXTURES, 'traces', file), 'utf8');

// Interaction callback types and message flags (discord.com/developers/docs/interactions/receiving-and-responding).
const CALLBACK = { message: 4, deferred: 5, autocomplete: 8, modal: 9 } as const;
const EPHEMERAL = 64;

let run: Running;
beforeAll(async () => {
  run = await startAgainstFake();
});
afterAll(async () => run?.stop());

/** Dispatches an interaction through the gateway and waits for its callback POST. */
async function interact(payload: any): Promise<RecordedRequest> {
  const callback = await interactWith(run, payload);
  expect(callback.auth).toBeUndefined(); // interaction callbacks are authorised by their token, not the bot's
  return callback;
}

const original = (payload: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${payload.token}/messages/@original`;
const followUp = (payload: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${FAKE.appId}/${payload.token}`;

describe('/sip over the gateway', () => {
  it('answers /sip 503 privately with the card and a Share button', async () => {
    const cb = await interact(chatInput('sip', [{ name: 'query', type: 3, value: '503' }]));
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds).toHaveLength(1);
    expect(cb.body.data.embeds[0]).toMatchObject({ title: '503 Service Unavailable', color: 0xe74c3c, url: 'https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4' });
    expect(cb.body.data.embeds[0].fields).toEqual(expect.arrayContaining([{ name: 'Who fixes it', value: 'provider/trunk, proxy/SBC, callee', inline: true }]));
    // Issue 20: rows of part and related-code buttons first; Share keeps its row, the last one.
    expect(cb.body.data.components.at(-1).components[0]).toMatchObject({ type: 2, label: 'Share', custom_id: 'sip-share:503' });
    expect(cb.body.data.allowed_mentions).toEqual({ parse: [] });
    expectWithinDiscordLimits(cb.body.data);
  });

  it('posts directly, without a Share button, when public is true', async () => {
    const cb = await interact(chatInput('sip', [{ name: 'query', type: 3, value: 'busy' }, { name: 'public', type: 5, value: true }]));
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.components).toEqual([]);
    expect(cb.body.data.embeds[0].title).toBe('Codes matching "busy"');
  });

  it('answers nonsense with the usage card and nothing to share', async () => {
    const cb = await interact(chatInput('sip', [{ name: 'query', type: 3, value: '999' }]));
    expect(cb.body.data.embeds[0].title).toBe('siptriage: not understood');
    expect(cb.body.data.components).toEqual([]);
  });

  it('autocompletes the query from the knowledge', async () => {
    const cb = await interact(autocomplete('50'));
    expect(cb.body.type).toBe(CALLBACK.autocomplete);
    const choices = cb.body.data.choices as { name: string; value: string }[];
    expect(choices).toContainEqual({ name: '503 Service Unavailable', value: '503' });
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('autocompletes words and Q.850 causes', async () => {
    expect((await interact(autocomplete('busy'))).body.data.choices[0]).toEqual({ name: '486 Busy Here', value: '486' });
    expect((await interact(autocomplete('q850 17'))).body.data.choices).toEqual([{ name: 'Q.850 cause 17: User busy', value: 'q850 17' }]);
  });

  it('shares the card to the channel when Share is pressed, naming who shared it without pinging', async () => {
    const ephemeral = { id: '1300000000000009999', channel_id: FAKE.channelId, author: { id: FAKE.botId, username: 'siptriage', discriminator: '0', bot: true }, content: '', timestamp: '2026-11-25T12:00:00.000000+00:00', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [], pinned: false, type: 20, flags: 64 };
    const cb = await interact(buttonClick('sip-share:503', ephemeral));
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.content).toBe(`Shared by <@${FAKE.userId}>: /sip 503`);
    expect(cb.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(cb.body.data.embeds[0].title).toBe('503 Service Unavailable');
  });
});

describe('/sip-triage, the form and the message menu', () => {
  it('opens a form with a paragraph field when no file is given', async () => {
    const cb = await interact(chatInput('sip-triage', [{ name: 'public', type: 5, value: true }]));
    expect(cb.body.type).toBe(CALLBACK.modal);
    expect(cb.body.data.custom_id).toBe('sip-triage-modal:public');
    expect(cb.body.data.components[0]).toMatchObject({ type: 18, label: 'SIP trace', component: { type: 4, custom_id: 'trace', style: 2, max_length: 4000 } });
  });

  it('triages a trace pasted into the form: summary first, then the failing call', async () => {
    const cb = await interact(modalSubmit('sip-triage-modal:private', trace('raw/02-busy-486.sip')));
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    const [summary, call] = cb.body.data.embeds;
    expect(summary.title).toBe('SIP trace: 1 call, 1 failed');
    expect(call.title).toBe('INVITE → 486 Busy Here (failed)');
    expect(call.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Who fixes it' })]));
    expectWithinDiscordLimits(cb.body.data);
  });

  it('defers an attached trace file, then edits the reply with the answer', async () => {
    const file = run.fake.attachment('trace.txt', readFileSync(join(FIXTURES, 'traces/tshark-V/03-unavailable-503.txt')));
    const payload = chatInput('sip-triage', [{ name: 'file', type: 11, value: file.id }], { attachments: { [file.id]: file } });
    const cb = await interact(payload);
    expect(cb.body).toEqual({ type: CALLBACK.deferred, data: { flags: EPHEMERAL } });
    const edit = await run.fake.waitFor(original(payload));
    expect(edit.body.embeds[0].title).toBe('SIP trace: 1 call, 1 failed');
    expect(edit.body.embeds[1].title).toMatch(/^INVITE → 503 Service Unavailable/);
    expectWithinDiscordLimits(edit.body);
  });

  it('refuses a file over the size limit without downloading it', async () => {
    const bytes = Buffer.from(trace('raw/02-busy-486.sip'));
    const file = run.fake.attachment('huge.log', bytes, 50 * 1024 * 1024);
    const payload = chatInput('sip-triage', [{ name: 'file', type: 11, value: file.id }], { attachments: { [file.id]: file } });
    await interact(payload);
    const edit = await run.fake.waitFor(original(payload));
    expect(edit.body.embeds[0]).toMatchObject({ title: 'Not triaged', description: 'huge.log is 50.0 MiB, over the 2.0 MiB limit' });
    expect(run.fake.downloads).not.toContain(new URL(file.url).pathname);
  });

  it('fetches attachments only from Discord, and says so when a file cannot be had', async () => {
    const foreign = { id: '1300000000000005555', filename: 'trace.txt', size: 100, url: 'http://169.254.169.254/latest/meta-data.txt', proxy_url: '', content_type: 'text/plain' };
    const payload = chatInput('sip-triage', [{ name: 'file', type: 11, value: foreign.id }], { attachments: { [foreign.id]: foreign } });
    await interact(payload);
    const edit = await run.fake.waitFor(original(payload));
    expect(edit.body).toMatchObject({ content: "⚠️ attachment trace.txt is not on Discord's CDN (http://169.254.169.254).", embeds: [] });

    const gone = { ...run.fake.attachment('gone.log', Buffer.from('x')), url: `${new URL(run.fake.apiUrl).origin}/attachments/0/gone.log` };
    const again = chatInput('sip-triage', [{ name: 'file', type: 11, value: gone.id }], { attachments: { [gone.id]: gone } });
    await interact(again);
    expect((await run.fake.waitFor(original(again))).body.content).toBe('⚠️ could not download gone.log: HTTP 404.');
  });

  it('triages a 1 MiB pasted trace within every limit, over several messages', async () => {
    const big = Buffer.from(bigTrace(1024 * 1024));
    const file = run.fake.attachment('message.txt', big);
    const payload = chatInput('sip-triage', [{ name: 'file', type: 11, value: file.id }, { name: 'public', type: 5, value: true }], { attachments: { [file.id]: file } });
    const cb = await interact(payload);
    expect(cb.body.type).toBe(CALLBACK.deferred);
    expect(cb.body.data.flags ?? 0).toBe(0);
    const edit = await run.fake.waitFor(original(payload));
    expect(edit.body.embeds[0].title).toMatch(/^SIP trace: \d{3} calls, \d{3} failed$/);
    expectWithinDiscordLimits(edit.body);
    // The summary with the first call cards; the rest of the 100s of calls (copies of a few flows, so a
    // few distinct cards) are counted, not posted.
    await run.fake.waitFor((r) => (original(payload)(r) || followUp(payload)(r)) && JSON.stringify(r.body).includes('More calls'));
    const all = run.fake.requests.filter((r) => original(payload)(r) || followUp(payload)(r)).map((r) => r.body);
    for (const m of all) expectWithinDiscordLimits(m);
    const embeds = all.at(-1).embeds ?? [];
    expect(embeds.length).toBeLessThanOrEqual(5);
    expect(embeds.at(-1)?.title).toBe('More calls');
    expect(embeds.at(-1)?.description).toMatch(/^…and \d+ more call cards, one per distinct call/);
  });

  it('triages a message from the message menu, in the channel', async () => {
    const target = userMessage(`Calls fail, here is the trace:\n\`\`\`\n${trace('raw/04-codec-488.sip')}\n\`\`\``);
    const cb = await interact(messageMenu(target));
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.embeds[1].title).toBe('INVITE → 488 Not Acceptable Here (failed)');
    expectWithinDiscordLimits(cb.body.data);
  });

  it('hands a .pcap attachment to the engine as bytes', async () => {
    const pcap = readFileSync(join(FIXTURES, 'captures/03-unavailable-503.pcap'));
    const file = run.fake.attachment('03.pcap', pcap);
    const payload = messageMenu(userMessage('', { attachments: [file] }));
    const cb = await interact(payload);
    expect(cb.body.type).toBe(CALLBACK.deferred);
    const edit = await run.fake.waitFor(original(payload));
    expect(run.fake.downloads).toContain(new URL(file.url).pathname);
    expect(edit.body.embeds.length).toBeGreaterThan(0);
    expectWithinDiscordLimits(edit.body);
  });
});
