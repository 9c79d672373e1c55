import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../render/png-reader.js';
import { bigTrace } from '../discord/big-trace.js';
import { allText, expectWithinSlackLimits } from './block-limits.js';
import { FAKE_BOT_ID, type ApiCall, type UploadedFile } from './fake-slack-api.js';
import { buttonClick, eventCallback, postSigned, slashCommand } from './slack-requests.js';
import { SIGNING_SECRET, startSlackService, type SlackService } from './slack-service.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const event = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, 'traces/slack', `${name}.event.json`), 'utf8')) as Record<string, unknown>;

// Secrets and identities in the fixtures that must not leave in a share bundle when REDACT_* are set.
const DIGEST_RESPONSE = 'dbad016d0f54be8c98517c8501416c69';
const LOOPBACK = '127.0.0.1';

let s: SlackService;
let tsSeq = 0;
const nextTs = (): string => `1795604${String(++tsSeq).padStart(3, '0')}.000100`;

beforeAll(async () => {
  // One triage worker: the PNGs and bundles are drawn and built there, as in production.
  s = await startSlackService({ REDACT_NUMBERS: 'true', REDACT_ADDRESSES: 'true', TRIAGE_WORKERS: '1' });
});
afterAll(async () => {
  await s.stop();
});

const post = (p: Parameters<typeof postSigned>[2]) => postSigned(s.events, SIGNING_SECRET, p);
const postsInThread = (ts: string): ApiCall[] => s.fake.callsTo('chat.postMessage').filter((c) => c.args['thread_ts'] === ts && c.result?.['ok'] === true);
const waitPost = (ts: string) => s.fake.waitFor(() => postsInThread(ts)[0], `a reply in thread ${ts}`);
const filesIn = (ts: string): UploadedFile[] => s.fake.completedFiles().filter((f) => f.threadTs === ts);
const shareButton = (reply: ApiCall): Record<string, unknown> | undefined =>
  (reply.args['blocks'] as { type: string; elements?: Record<string, unknown>[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .find((e) => e['action_id'] === 'sip_share_carrier');

function expectLadderPng(file: UploadedFile | undefined): void {
  expect(file?.filename).toBe('ladder.png');
  const png = decodePng(new Uint8Array(file?.data ?? []));
  expect(png.chunks[0]).toBe('IHDR');
  expect(png.chunks).toContain('IEND');
  // A ladder of one or two calls at scale 2: wider than a phone, far smaller than a poster.
  expect(png.width).toBeGreaterThan(400);
  expect(png.width).toBeLessThan(8000);
  expect(png.height).toBeGreaterThan(200);
  expect(png.height).toBeLessThan(20000);
  expect(file?.data.length ?? 0).toBeGreaterThan(2000);
}

/** A paste of two real fixtures: a 503 from Kamailio (numbers, addresses) and a rejected REGISTER (a digest response). */
function failingPaste(ts: string): Record<string, unknown> {
  const a = event('15-kamailio-503');
  const b = event('06-register-401-rejected');
  return { ...a, ts, text: `${String(a['text'])}\n${String(b['text'])}` };
}

describe('Slack: the ladder of a failing call', () => {
  it('uploads the ladder PNG into the triage thread after the answer, and puts a Share with carrier button on it', async () => {
    const ts = nextTs();
    await post(eventCallback(failingPaste(ts)));
    const reply = await waitPost(ts);
    expectWithinSlackLimits(reply.args);
    const button = shareButton(reply);
    // The button carries a short id, never the trace.
    expect(String(button?.['value'])).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(allText(reply.args)).toContain('Share with carrier');

    const [ladder] = await s.fake.waitFor(() => filesIn(ts).length > 0 && filesIn(ts), 'the ladder in the thread');
    expectLadderPng(ladder);
    expect(ladder?.channel).toBe('C0SIPTRIAGE');
    expect(ladder?.altText).toMatch(/^Call flow of 2 failing calls/);
    // Slack's upload flow, in order: an upload URL, the bytes, then completion into the thread.
    const methods = s.fake.calls.map((c) => c.method);
    expect(methods.lastIndexOf('chat.postMessage')).toBeLessThan(methods.lastIndexOf('files.getUploadURLExternal'));
    expect(methods.lastIndexOf('files.getUploadURLExternal')).toBeLessThan(methods.lastIndexOf('files.completeUploadExternal'));
    expect(s.fake.callsTo('files.upload')).toHaveLength(0);
  });

  it('posts a new ladder when an edit changes the call flow, and none when only the words around it change', async () => {
    const ts = nextTs();
    // Each edit is sent once the previous one is acknowledged, so they arrive in order.
    const edit = async (previous: Record<string, unknown>, text: string): Promise<Record<string, unknown>> => {
      const message = { ...previous, text, edited: { user: 'U0FIXTURE1', ts: nextTs() } };
      await post(eventCallback({ type: 'message', subtype: 'message_changed', hidden: true, channel: 'C0SIPTRIAGE', ts: nextTs(), message, previous_message: previous }));
      return message;
    };
    const first = { ...event('02-busy-486'), ts };
    await post(eventCallback(first));
    await s.fake.waitFor(() => filesIn(ts).length === 1, 'the first ladder');
    const second = await edit(first, String(event('04-codec-488')['text']));
    await s.fake.waitFor(() => filesIn(ts).length === 2, 'the ladder of the edited flow');
    // Same trace, other words; then a third flow. Edits of one paste run in order, so once the third flow's
    // picture is in, the words-only edit has been answered, without a picture.
    const third = await edit(second, `same trace, better words:\n${String(event('04-codec-488')['text'])}`);
    await edit(third, String(event('03-unavailable-503')['text']));
    await s.fake.waitFor(() => filesIn(ts).some((f) => /503/.test(f.altText ?? '')), 'the ladder of the third flow');
    expect(filesIn(ts).map((f) => f.altText)).toEqual([
      'Call flow: INVITE → 486 Busy Here (failed)',
      'Call flow: INVITE → 488 Not Acceptable Here (failed)',
      'Call flow: INVITE → 503 Service Unavailable (failed)',
    ]);
    expect(postsInThread(ts)).toHaveLength(1);
  });

  it('draws a large paste as its failing calls first, capped, saying what was left out, within the pixel budget', async () => {
    const ts = nextTs();
    await post(eventCallback({ type: 'message', user: 'U0ERIN', channel: 'C0SIPTRIAGE', ts, text: bigTrace(64 * 1024) }));
    await waitPost(ts);
    const [ladder] = await s.fake.waitFor(() => filesIn(ts).length > 0 && filesIn(ts), 'the capped ladder');
    // Identical calls are drawn once, worst (5xx) first, at most two distinct calls; the caption counts what is drawn.
    expect(ladder?.altText).toMatch(/^Call flow of 2 failing calls: INVITE → 503 Service Unavailable \(failed\) ×\d+; .* ×\d+\. \d+ other distinct failing calls not drawn/);
    const png = decodePng(new Uint8Array(ladder?.data ?? []));
    expect(png.width * png.height).toBeLessThanOrEqual(4_000_000 * 1.01);
  });

  it('uploads the ladder for a shared capture too', async () => {
    s.fake.files.set('F0K486', { id: 'F0K486', name: 'kamailio-486.pcap', bytes: readFileSync(join(FIXTURES, 'captures/14-kamailio-486.pcap')), filetype: 'pcap' });
    const ts = nextTs();
    await post(eventCallback({ type: 'message', subtype: 'file_share', user: 'U0ERIN', channel: 'C0SIPTRIAGE', ts, text: '', files: [{ id: 'F0K486', name: 'kamailio-486.pcap' }] }));
    const reply = await waitPost(ts);
    expect(shareButton(reply)).toBeDefined();
    const [ladder] = await s.fake.waitFor(() => filesIn(ts).length > 0 && filesIn(ts), 'the capture ladder');
    expectLadderPng(ladder);
    // Addresses in the picture's words are pseudonyms too (REDACT_ADDRESSES).
    expect(ladder?.altText).not.toContain(LOOPBACK);
  });

  it('uploads nothing and offers no share button for traces where no call failed', async () => {
    const ok = nextTs();
    const challenged = nextTs();
    await post(eventCallback({ ...event('01-success-200'), ts: ok }));
    await post(eventCallback({ ...event('05-proxy-auth-407'), ts: challenged }));
    const replies = [await waitPost(ok), await waitPost(challenged)];
    // A later failing paste's ladder arriving proves uploads for the earlier two had their chance.
    const marker = nextTs();
    await post(eventCallback(failingPaste(marker)));
    await s.fake.waitFor(() => filesIn(marker).length > 0, 'the marker ladder');
    for (const reply of replies) expect(shareButton(reply)).toBeUndefined();
    expect(filesIn(ok)).toHaveLength(0);
    expect(filesIn(challenged)).toHaveLength(0);
  });
});

describe('Slack: Share with carrier', () => {
  it('uploads the redacted bundle into the thread when clicked: summary, trace as text and pcap, ladder PNG and Mermaid', async () => {
    const ts = nextTs();
    await post(eventCallback(failingPaste(ts)));
    const reply = await waitPost(ts);
    await s.fake.waitFor(() => filesIn(ts).length > 0, 'the ladder');
    const id = String(shareButton(reply)?.['value']);
    const before = filesIn(ts).length;
    const click = await post(buttonClick('sip_share_carrier', id, s.fake.responseUrl('carrier'), { type: 'message', ts: reply.result?.['ts'], thread_ts: ts, bot_id: FAKE_BOT_ID, blocks: reply.args['blocks'] }));
    expect(click.status).toBe(200);
    const bundle = await s.fake.waitFor(() => filesIn(ts).length >= before + 5 && filesIn(ts).slice(before), 'the share bundle');
    expect(bundle.map((f) => f.filename)).toEqual(['summary.md', 'trace.txt', 'call.pcap', 'ladder.png', 'ladder.mmd']);
    // One completion for the whole bundle, with a comment saying who asked and what was masked.
    expect(new Set(bundle.map((f) => f.initialComment)).size).toBe(1);
    expect(bundle[0]?.initialComment).toContain('requested by <@U0BOB>');
    expect(bundle[0]?.initialComment).toContain('phone numbers masked');
    expectLadderPng(bundle[3]);

    const text = (name: string): string => bundle.find((f) => f.filename === name)?.data.toString('utf8') ?? '';
    expect(text('summary.md')).toMatch(/^# SIP failure summary/);
    expect(text('summary.md')).toContain('503');
    expect(text('trace.txt')).toContain('REGISTER sip:example.com SIP/2.0');
    expect(text('trace.txt')).toMatch(/\+•+\d\d/);
    expect(text('ladder.mmd')).toMatch(/^sequenceDiagram/m);
    const everything = [...bundle.map((f) => f.data.toString('latin1')), ...bundle.map((f) => f.data.toString('utf8')), String(bundle[0]?.initialComment)].join('\n');
    expect(everything).not.toContain(DIGEST_RESPONSE);
    expect(everything).not.toMatch(/response="[0-9a-f]{32}"/);
    expect(everything).not.toContain(LOOPBACK);
    expect(everything).not.toMatch(/\+1555555\d{4}/);
  });

  it('answers a share id it no longer holds with a short private note, and uploads nothing', async () => {
    const ts = nextTs();
    const before = s.fake.completedFiles().length;
    await post(buttonClick('sip_share_carrier', 'AAAAAAAAAAAA', s.fake.responseUrl('gone'), { type: 'message', ts: '1795600000.777777', thread_ts: ts, bot_id: FAKE_BOT_ID, blocks: [] }));
    const note = await s.fake.waitFor(() => s.fake.responses.find((r) => r.id === 'gone'), 'the note');
    expect(note.body['response_type']).toBe('ephemeral');
    expect(String(note.body['text'])).toMatch(/no longer held.*paste it again/);
    expect(s.fake.completedFiles()).toHaveLength(before);
  });

  it('does not hand a trace held for one channel to a click from another', async () => {
    const ts = nextTs();
    await post(eventCallback(failingPaste(ts)));
    const reply = await waitPost(ts);
    const id = String(shareButton(reply)?.['value']);
    await post(buttonClick('sip_share_carrier', id, s.fake.responseUrl('elsewhere'), { type: 'message', ts: '1795600000.888888', bot_id: FAKE_BOT_ID, blocks: [] }, 'C0OTHER'));
    const note = await s.fake.waitFor(() => s.fake.responses.find((r) => r.id === 'elsewhere'), 'the note');
    expect(String(note.body['text'])).toMatch(/no longer held/);
  });

  it('offers the button on a public /sip triage and posts its ladder in the channel', async () => {
    const text = String(event('03-unavailable-503')['text']).replace(/```/g, '');
    await post(slashCommand(`${text} public`, s.fake.responseUrl('public-trace'), { channel_id: 'C0PUBLIC' }));
    const answer = await s.fake.waitFor(() => s.fake.responses.find((r) => r.id === 'public-trace'), 'the answer');
    expect(answer.body['response_type']).toBe('in_channel');
    expect(JSON.stringify(answer.body['blocks'])).toContain('sip_share_carrier');
    const [ladder] = await s.fake.waitFor(() => s.fake.completedFiles().filter((f) => f.channel === 'C0PUBLIC').length > 0 && s.fake.completedFiles().filter((f) => f.channel === 'C0PUBLIC'), 'the ladder');
    expectLadderPng(ladder);
    expect(ladder?.threadTs).toBeUndefined();
  });
});
