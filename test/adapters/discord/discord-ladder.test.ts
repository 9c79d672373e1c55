import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../render/png-reader.js';
import { interact as interactWith, startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits, expectWithinDiscordUploadLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { buttonClick, FAKE, messageMenu, modalSubmit, threadChannel, userMessage } from './fake-payloads.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const raw = (name: string): string => readFileSync(join(FIXTURES, 'traces/raw', name), 'utf8');
// A 503 from Kamailio (numbers, addresses) and a rejected REGISTER (a digest response), as one paste.
const FAILING = `${raw('15-kamailio-503.sip')}\n${raw('06-register-401-rejected.sip')}`;
const DIGEST_RESPONSE = 'dbad016d0f54be8c98517c8501416c69';
const CALLBACK = { message: 4, deferred: 5 } as const;
const EPHEMERAL = 64;

let run: Running;
beforeAll(async () => {
  run = await startAgainstFake({ DISCORD_AUTO_TRIAGE: 'true', REDACT_NUMBERS: 'true', REDACT_ADDRESSES: 'true' });
});
afterAll(async () => run?.stop());

const interact = (payload: any): Promise<RecordedRequest> => interactWith(run, payload);
const edits = (payload: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${payload.token}/messages/@original`;
const withFiles = (payload: any) => (r: RecordedRequest) => edits(payload)(r) && r.files.length > 0;
const carrierButton = (body: any): any => (body?.components ?? []).flatMap((row: any) => row.components).find((c: any) => String(c.custom_id).startsWith('sip-carrier:'));

function expectLadderPng(file: { name: string; data: Buffer } | undefined): void {
  expect(file?.name).toBe('ladder.png');
  const png = decodePng(new Uint8Array(file?.data ?? []));
  expect(png.chunks[0]).toBe('IHDR');
  expect(png.width).toBeGreaterThan(400);
  expect(png.width).toBeLessThan(8000);
  expect(png.height).toBeGreaterThan(200);
  expect(png.height).toBeLessThan(20000);
  expect(file?.data.length ?? 0).toBeGreaterThan(2000);
}

/** The bot's answer as a later click payload carries it. */
const botMessage = (flags: number) => ({ id: '1300000000000008888', channel_id: FAKE.channelId, author: { id: FAKE.botId, username: 'siptriage', discriminator: '0', bot: true }, content: '', timestamp: '2026-11-25T12:00:00.000000+00:00', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [], pinned: false, type: 20, flags });

describe('Discord: the ladder of a failing call', () => {
  it('answers the form first, then adds the ladder PNG to that answer, with a Share with carrier button', async () => {
    const payload = modalSubmit('sip-triage-modal:public', FAILING);
    const cb = await interact(payload);
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.files).toEqual([]);
    const button = carrierButton(cb.body.data);
    expect(button).toMatchObject({ type: 2, label: 'Share with carrier (masked)' });
    expect(button.custom_id).toMatch(/^sip-carrier:[A-Za-z0-9_-]{12}$/);
    // REDACT_NUMBERS and REDACT_ADDRESSES are on here, so there is nothing to choose to keep: one button.
    const row = (cb.body.data.components as { components: { label?: string; custom_id?: string }[] }[]).find((r) => r.components.includes(button));
    expect(row?.components).toHaveLength(1);
    expectWithinDiscordLimits(cb.body.data);

    const edit = await run.fake.waitFor(withFiles(payload));
    expectWithinDiscordUploadLimits(edit);
    expect(edit.files).toHaveLength(1);
    expectLadderPng(edit.files[0]);
    expect(edit.body.attachments[0].description).toMatch(/^Call flow of 2 failing calls/);
    expect(edit.body.attachments[0].description).not.toContain('127.0.0.1');
  });

  it('attaches the ladder of a capture from the message menu', async () => {
    const file = run.fake.attachment('486.pcapng', readFileSync(join(FIXTURES, 'captures/14-kamailio-486.pcapng')));
    const payload = messageMenu(userMessage('', { attachments: [file] }));
    expect((await interact(payload)).body.type).toBe(CALLBACK.deferred);
    const answer = await run.fake.waitFor(edits(payload));
    expect(carrierButton(answer.body)).toBeDefined();
    const edit = await run.fake.waitFor(withFiles(payload));
    expectLadderPng(edit.files[0]);
  });

  it('attaches no ladder and offers no button when no call failed', async () => {
    const ok = modalSubmit('sip-triage-modal:private', raw('01-success-200.sip'));
    const cb = await interact(ok);
    expect(cb.body.data.embeds[0].title).toMatch(/^SIP trace: \d+ calls?, 0 failed$/);
    expect(carrierButton(cb.body.data)).toBeUndefined();
    // A failing trace after it gets its picture; by then the first one's would have been there too.
    const marker = modalSubmit('sip-triage-modal:private', raw('02-busy-486.sip'));
    await interact(marker);
    await run.fake.waitFor(withFiles(marker));
    expect(run.fake.requests.filter(withFiles(ok))).toEqual([]);
  });

  it('puts the ladder and the button on the first message of an automatic triage thread', async () => {
    const message = userMessage(raw('03-unavailable-503.sip'));
    run.fake.dispatch('MESSAGE_CREATE', message);
    const post = await run.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${message.id}/messages`);
    expect(carrierButton(post.body)).toBeDefined();
    expectWithinDiscordLimits(post.body);
    expectWithinDiscordUploadLimits(post);
    expectLadderPng(post.files[0]);

    // The button works in that thread (its trace is held for the thread) and nowhere else.
    const customId = carrierButton(post.body).custom_id as string;
    const thread = threadChannel(FAKE.channelId, message.id, 'Triage');
    const inThread = { ...buttonClick(customId, { ...botMessage(0), channel_id: message.id }), channel_id: message.id, channel: thread };
    expect((await interact(inThread)).body.type).toBe(CALLBACK.deferred);
    expect((await run.fake.waitFor(withFiles(inThread))).files.map((f) => f.name)).toEqual(['summary.md', 'trace.txt', 'call.pcap', 'ladder.png', 'ladder.mmd']);
    const elsewhere = buttonClick(customId, botMessage(0));
    expect((await interact(elsewhere)).body.data.content).toMatch(/no longer held/);
  });
});

describe('Discord: Share with carrier', () => {
  it('defers the click, then answers with the redacted bundle: summary, trace as text and pcap, ladder PNG and Mermaid', async () => {
    const payload = modalSubmit('sip-triage-modal:public', FAILING);
    const cb = await interact(payload);
    const customId = carrierButton(cb.body.data).custom_id as string;
    const click = buttonClick(customId, botMessage(0));
    const ack = await interact(click);
    expect(ack.body.type).toBe(CALLBACK.deferred);
    expect(ack.body.data?.flags ?? 0).toBe(0);
    const edit = await run.fake.waitFor(withFiles(click));
    expectWithinDiscordUploadLimits(edit);
    expect(edit.files.map((f) => f.name)).toEqual(['summary.md', 'trace.txt', 'call.pcap', 'ladder.png', 'ladder.mmd']);
    expectLadderPng(edit.files[3]);
    // A classic pcap (little-endian, microseconds), without the loopback address of the trace even in binary.
    const pcap = edit.files.find((f) => f.name === 'call.pcap')?.data ?? Buffer.alloc(0);
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.includes(Buffer.from([127, 0, 0, 1]))).toBe(false);
    expect(edit.body.content).toContain(`requested by <@${FAKE.userId}>`);
    expect(edit.body.content).toContain('phone numbers masked');
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    const text = (name: string): string => edit.files.find((f) => f.name === name)?.data.toString('utf8') ?? '';
    expect(text('summary.md')).toMatch(/^# SIP failure summary/);
    expect(text('trace.txt')).toMatch(/\+•+03/);
    expect(text('ladder.mmd')).toMatch(/^sequenceDiagram/m);
    const everything = [edit.body.content, ...edit.files.map((f) => f.data.toString('latin1')), ...edit.files.map((f) => f.data.toString('utf8'))].join('\n');
    expect(everything).not.toContain(DIGEST_RESPONSE);
    expect(everything).not.toMatch(/response="[0-9a-f]{32}"/);
    expect(everything).not.toContain('127.0.0.1');
    expect(everything).not.toContain('+15555550503');
  });

  it('keeps the bundle private when the answer it was on was private', async () => {
    const payload = modalSubmit('sip-triage-modal:private', raw('02-busy-486.sip'));
    const cb = await interact(payload);
    const click = buttonClick(carrierButton(cb.body.data).custom_id, botMessage(EPHEMERAL));
    expect((await interact(click)).body).toEqual({ type: CALLBACK.deferred, data: { flags: EPHEMERAL } });
    expect((await run.fake.waitFor(withFiles(click))).files.map((f) => f.name)).toContain('ladder.png');
  });

  it('answers a share id it no longer holds with a short private note', async () => {
    const cb = await interact(buttonClick('sip-carrier:AAAAAAAAAAAA', botMessage(0)));
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/no longer held.*paste it again/);
    expect(cb.files).toEqual([]);
  });
});
