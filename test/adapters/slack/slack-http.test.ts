import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, expectWithinSlackLimits } from './block-limits.js';
import { FAKE_BOT_ID, FAKE_BOT_USER, type ApiCall } from './fake-slack-api.js';
import { buttonClick, eventCallback, messageShortcut, postSigned, postSignedAlone, slashCommand } from './slack-requests.js';
import { BOT_TOKEN, SIGNING_SECRET, slackRequests, type SlackService, startSlackService } from './slack-service.js';

const TRACES = join(import.meta.dirname, '../../fixtures/traces');
const fixtureEvent = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(TRACES, 'slack', `${name}.event.json`), 'utf8')) as Record<string, unknown>;
const fixture = (path: string): string => readFileSync(join(TRACES, path), 'utf8');

let s: SlackService;
let tsSeq = 0;
const nextTs = (): string => `1795602${String(++tsSeq).padStart(3, '0')}.000100`;

beforeAll(async () => {
  s = await startSlackService();
});
afterAll(async () => {
  await s.stop();
});

const { post, responsesTo, waitResponses } = slackRequests(() => s);
/** Replies Slack accepted (a rate-limited attempt is recorded without a result). */
const postsInThread = (ts: string): ApiCall[] => s.fake.callsTo('chat.postMessage').filter((c) => c.args['thread_ts'] === ts && c.result?.['ok'] === true);
const waitPost = (ts: string) => s.fake.waitFor(() => postsInThread(ts)[0], `a reply in thread ${ts}`);

describe('Slack over HTTP: /sip', () => {
  it('acknowledges at once and answers privately with the card and a Share button', async () => {
    const health = (await (await fetch(s.events.replace('/slack/events', '/healthz'))).json()) as { surfaces: string[] };
    expect(health.surfaces).toEqual(['slack']);
    const ack = await post(slashCommand('503', s.fake.responseUrl('q503')));
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    const [answer] = await waitResponses('q503');
    expect(answer?.body['response_type']).toBe('ephemeral');
    expectWithinSlackLimits(answer?.body ?? {});
    expect(answer?.body['blocks']).toContainEqual({ type: 'header', text: { type: 'plain_text', text: '🔥 503 Service Unavailable', emoji: true } });
    // Issue 20: Share in channel sits in the row of part buttons (Causes, Fixes, …) rather than a row of its own.
    const buttons = (answer?.body['blocks'] as { type: string; elements?: unknown[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(buttons).toContainEqual({ type: 'button', action_id: 'sip_share', text: { type: 'plain_text', text: 'Share in channel' }, value: '503' });
    expect(String(answer?.body['text'])).toMatch(/^503 Service Unavailable: /);
  });

  it('shares an ephemeral answer into the channel, saying who shared it, and withdraws the private one', async () => {
    const ack = await post(buttonClick('sip_share', '486', s.fake.responseUrl('share486'), {}));
    expect(ack.status).toBe(200);
    const [shared, withdrawn] = await waitResponses('share486', 2);
    expect(shared?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expectWithinSlackLimits(shared?.body ?? {});
    expect(allText(shared?.body ?? {})).toContain('Asked by <@U0BOB> with `/sip 486`');
    expect(withdrawn?.body).toEqual({ delete_original: true });
  });

  it('posts for the channel with "public", naming who asked', async () => {
    await post(slashCommand('q850 17 public', s.fake.responseUrl('pub')));
    const [answer] = await waitResponses('pub');
    expect(answer?.body['response_type']).toBe('in_channel');
    expect(allText(answer?.body ?? {})).toContain('Asked by <@U0ALICE>');
    expect(JSON.stringify(answer?.body['blocks'])).not.toContain('sip_share');
  });

  it('answers help, nothing and nonsense with the usage card, privately even when asked for public', async () => {
    for (const [text, id] of [['help', 'help'], ['', 'empty'], ['xyzzyq public', 'junk']] as const) {
      await post(slashCommand(text, s.fake.responseUrl(id)));
      const [answer] = await waitResponses(id);
      expect(answer?.body['response_type']).toBe('ephemeral');
      expectWithinSlackLimits(answer?.body ?? {});
      const t = allText(answer?.body ?? {});
      expect(t).toContain('/sip 503');
      expect(t).toContain('/sip auto off');
      expect(JSON.stringify(answer?.body['blocks'])).not.toContain('sip_share');
    }
  });

  it('keeps channel settings in the store the service opened', async () => {
    await post(slashCommand('auto off', s.fake.responseUrl('auto')));
    const [answer] = await waitResponses('auto');
    expect(answer?.body['response_type']).toBe('ephemeral');
    expect(String(answer?.body['text'])).toMatch(/^Automatic triage is off in this channel/);
    await post(slashCommand('auto', s.fake.responseUrl('auto-status')));
    expect(String((await waitResponses('auto-status'))[0]?.body['text'])).toMatch(/is off in this channel/);
    // On again: the paste tests below need it.
    await post(slashCommand('auto on', s.fake.responseUrl('auto-on')));
    expect(String((await waitResponses('auto-on'))[0]?.body['text'])).toMatch(/^Automatic triage is on in this channel/);
  });

  it('triages a trace typed after /sip', async () => {
    await post(slashCommand(fixture('raw/02-busy-486.sip'), s.fake.responseUrl('trace')));
    const [summary] = await waitResponses('trace');
    expect((summary?.body['blocks'] as { text?: { text: string } }[])[0]?.text?.text).toMatch(/SIP trace: 1 call, 1 failed/);
    expectWithinSlackLimits(summary?.body ?? {});
  });
});

describe('Slack over HTTP: signatures', () => {
  it('rejects forged, unsigned and stale requests with 401 and posts nothing', async () => {
    const before = s.fake.calls.length;
    const forged = await post({ ...slashCommand('503', s.fake.responseUrl('forged')), signature: 'v0=' + 'ab'.repeat(32) });
    const wrongSecret = await postSigned(s.events, 'not-the-secret', slashCommand('503', s.fake.responseUrl('forged')));
    const unsigned = await post({ ...slashCommand('503', s.fake.responseUrl('forged')), signature: null });
    const stale = await post({ ...slashCommand('503', s.fake.responseUrl('forged')), timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const forgedEvent = await post({ ...eventCallback({ ...fixtureEvent('03-unavailable-503'), ts: nextTs() }), signature: 'v0=00' });
    for (const r of [forged, wrongSecret, unsigned, stale, forgedEvent]) expect(r.status).toBe(401);
    // A genuine request after them is answered; by then the forged ones would have been too.
    await post(slashCommand('404', s.fake.responseUrl('after-forgery')));
    await waitResponses('after-forgery');
    expect(responsesTo('forged')).toHaveLength(0);
    expect(s.fake.calls.slice(before)).toHaveLength(0);
  });

  it('answers Slack’s URL verification challenge', async () => {
    const r = await post({ body: JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }), contentType: 'application/json' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ challenge: 'c-123' });
  });
});

describe('Slack over HTTP: paste-to-triage', () => {
  it('answers a pasted trace in its thread with a summary and a Details button', async () => {
    const ts = nextTs();
    const ack = await post(eventCallback({ ...fixtureEvent('03-unavailable-503'), ts }));
    expect(ack.status).toBe(200);
    const reply = await waitPost(ts);
    expect(reply.args['channel']).toBe('C0SIPTRIAGE');
    expect(reply.token).toBe(BOT_TOKEN);
    expectWithinSlackLimits(reply.args);
    const text = allText(reply.args);
    expect(text).toMatch(/SIP trace: 1 call, 1 failed/);
    expect(text).toContain('503 Service Unavailable');
    expect(reply.args['blocks']).toContainEqual(expect.objectContaining({ type: 'actions', elements: expect.arrayContaining([expect.objectContaining({ action_id: 'sip_details', value: ts })]) }));
  });

  it('ignores messages without SIP, from bots, and from itself', async () => {
    const plain = nextTs();
    const fromBot = nextTs();
    const fromSelf = nextTs();
    const answered = nextTs();
    const trace = fixtureEvent('02-busy-486');
    await post(eventCallback({ ...trace, ts: plain, text: 'did anyone see the 503s on the trunk this morning?' }));
    await post(eventCallback({ ...trace, ts: fromBot, bot_id: 'B0OTHER', subtype: 'bot_message' }));
    await post(eventCallback({ ...trace, ts: fromSelf, user: FAKE_BOT_USER }));
    await post(eventCallback({ ...trace, ts: answered }));
    await waitPost(answered);
    expect(postsInThread(plain)).toHaveLength(0);
    expect(postsInThread(fromBot)).toHaveLength(0);
    expect(postsInThread(fromSelf)).toHaveLength(0);
  });

  it('updates its reply in place when the pasted message is edited, and withdraws it when the SIP is gone', async () => {
    const ts = nextTs();
    const first = { ...fixtureEvent('02-busy-486'), ts };
    await post(eventCallback(first));
    const reply = await waitPost(ts);
    const mark = s.fake.calls.length;
    const edited = { ...first, text: fixture('slack/04-codec-488.txt'), edited: { user: 'U0FIXTURE1', ts: '1795602999.000001' } };
    await post(eventCallback({ type: 'message', subtype: 'message_changed', hidden: true, channel: 'C0SIPTRIAGE', ts: nextTs(), message: edited, previous_message: first }));
    const update = await s.fake.waitFor(() => s.fake.calls.slice(mark).find((c) => c.method === 'chat.update'), 'chat.update');
    expect(update.args['ts']).toBe(reply.result?.['ts']);
    expect(allText(update.args)).toContain('488');
    expectWithinSlackLimits(update.args);
    expect(postsInThread(ts)).toHaveLength(1);

    const mark2 = s.fake.calls.length;
    const cleared = { ...edited, text: 'never mind, wrong paste' };
    await post(eventCallback({ type: 'message', subtype: 'message_changed', hidden: true, channel: 'C0SIPTRIAGE', ts: nextTs(), message: cleared, previous_message: edited }));
    const withdrawn = await s.fake.waitFor(() => s.fake.calls.slice(mark2).find((c) => c.method === 'chat.update'), 'second chat.update');
    expect(withdrawn.args['ts']).toBe(update.args['ts']);
    expect(String(withdrawn.args['text'])).toMatch(/no longer holds a SIP trace/);
  });

  it('ignores edits of its own replies', async () => {
    const mark = s.fake.calls.length;
    const own = { type: 'message', user: FAKE_BOT_USER, bot_id: FAKE_BOT_ID, text: fixture('slack/02-busy-486.txt'), ts: nextTs() };
    await post(eventCallback({ type: 'message', subtype: 'message_changed', hidden: true, channel: 'C0SIPTRIAGE', ts: nextTs(), message: own, previous_message: { ...own, text: 'x' } }));
    const probe = nextTs();
    await post(eventCallback({ ...fixtureEvent('01-success-200'), ts: probe }));
    await waitPost(probe);
    expect(s.fake.calls.slice(mark).filter((c) => c.method === 'chat.update')).toHaveLength(0);
  });

  it('unfolds the call cards into the thread when Details is clicked, reading the trace again from Slack', async () => {
    const ts = nextTs();
    const paste = { ...fixtureEvent('15-kamailio-503'), ts };
    s.fake.messages.set(ts, paste);
    await post(eventCallback(paste));
    const summary = await waitPost(ts);
    // The failing call's ladder goes up after the summary: let it finish before counting the click's calls.
    await s.fake.waitFor(() => s.fake.completedFiles().some((f) => f.threadTs === ts), 'the ladder upload');
    const summaryTs = '1795600000.999999';
    const mark = s.fake.calls.length;
    const click = await post(buttonClick('sip_details', ts, s.fake.responseUrl('details'), { type: 'message', ts: summaryTs, thread_ts: ts, bot_id: FAKE_BOT_ID, blocks: summary.args['blocks'] }));
    expect(click.status).toBe(200);
    const cards = await s.fake.waitFor(() => {
      const after = s.fake.calls.slice(mark);
      const posted = after.filter((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === ts);
      return posted.length >= 1 && after.some((c) => c.method === 'chat.update') && posted;
    }, 'detail cards');
    const after = s.fake.calls.slice(mark);
    expect(after[0]?.method).toBe('conversations.replies');
    const update = after.find((c) => c.method === 'chat.update');
    expect(update?.args['ts']).toBe(summaryTs);
    expect(JSON.stringify(update?.args['blocks'])).not.toContain('sip_details');
    // Share with carrier outlives Details: the trace can still be shared after the cards are unfolded.
    expect(JSON.stringify(update?.args['blocks'])).toContain('sip_share_carrier');
    expect(allText(update?.args ?? {})).toContain('Details below, opened by <@U0BOB>');
    for (const c of cards) expectWithinSlackLimits(c.args);
    expect(allText(cards[0]?.args ?? {})).toMatch(/503 Service Unavailable|500 Service Unavailable/);
  });

  it('posts three call cards on Details and offers the rest with a button, never the command line', async () => {
    const ts = nextTs();
    // Every SIPp-made fixture call in one paste: a dozen distinct failures.
    const text = readdirSync(join(TRACES, 'raw')).filter((f) => f.endsWith('.sip')).sort().map((f) => fixture(`raw/${f}`)).join('\n');
    const paste = { type: 'message', user: 'U0ALICE', channel: 'C0TRIAGE', ts, text };
    s.fake.messages.set(ts, paste);
    await post(eventCallback(paste));
    const summary = await waitPost(ts);
    const mark = s.fake.calls.length;
    await post(buttonClick('sip_details', ts, s.fake.responseUrl('details-many'), { type: 'message', ts: '1795600001.000001', thread_ts: ts, bot_id: FAKE_BOT_ID, blocks: summary.args['blocks'] }));
    const offer = await s.fake.waitFor(() => s.fake.calls.slice(mark).find((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args['blocks'] ?? []).includes('#3')), 'the offer of more cards');
    const cards = s.fake.calls.slice(mark).filter((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === ts && c !== offer);
    expect(cards).toHaveLength(3);
    for (const c of [...cards, offer]) expectWithinSlackLimits(c.args);
    // No identical pair, and no generic code card repeated: each card links it instead.
    const titles = cards.map((c) => allText(c.args).split('\n')[0]);
    expect(new Set(titles).size).toBe(3);
    expect(JSON.stringify(cards.map((c) => c.args['blocks']))).not.toContain('Likely causes');
    expect(allText(offer.args)).toMatch(/^…and \d+ more call cards, one per distinct call; the summary above counts every call\.$/m);
    expect(allText(offer.args)).not.toMatch(/siptriage triage|command line/);
    const more = s.fake.calls.length;
    await post(buttonClick('sip_details', `${ts}#3`, s.fake.responseUrl('details-more'), { type: 'message', ts: '1795600001.000002', thread_ts: ts, bot_id: FAKE_BOT_ID, blocks: offer.args['blocks'] }));
    const next = await s.fake.waitFor(() => {
      const posted = s.fake.calls.slice(more).filter((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === ts);
      return posted.length >= 3 && posted;
    }, 'the next cards');
    expect(allText(next[0]?.args ?? {})).not.toBe(allText(cards[0]?.args ?? {}));
  });

  it('triages on demand with the message shortcut, and privately where it is not a member', async () => {
    const ts = nextTs();
    const message = { type: 'message', user: 'U0CAROL', ts, text: fixture('slack/08-cancel-487.txt') };
    expect((await post(messageShortcut(message, s.fake.responseUrl('sc')))).status).toBe(200);
    const reply = await waitPost(ts);
    expectWithinSlackLimits(reply.args);
    expect(allText(reply.args)).toMatch(/SIP trace: 1 call/);

    s.fake.notInChannel.add('C0ELSEWHERE');
    const ts2 = nextTs();
    await post(messageShortcut({ ...message, ts: ts2 }, s.fake.responseUrl('sc-private'), 'C0ELSEWHERE'));
    const [privately] = await waitResponses('sc-private');
    expect(privately?.body['response_type']).toBe('ephemeral');
    expectWithinSlackLimits(privately?.body ?? {});
    expect(allText(privately?.body ?? {})).toContain('invite @siptriage');

    await post(messageShortcut({ ...message, ts: nextTs(), text: 'lunch?' }, s.fake.responseUrl('sc-none')));
    const [none] = await waitResponses('sc-none');
    expect(String(none?.body['text'])).toMatch(/^No SIP trace in that message/);
  });

  it('answers @mentions: a trace in the thread, a query as a card, nothing as private usage', async () => {
    const ts = nextTs();
    await post(eventCallback({ type: 'app_mention', user: 'U0DAVE', channel: 'C0SIPTRIAGE', ts, text: `<@${FAKE_BOT_USER}> ${fixture('slack/07-register-423.txt')}` }));
    const triaged = await waitPost(ts);
    expect(allText(triaged.args)).toMatch(/SIP trace/);

    const ts2 = nextTs();
    await post(eventCallback({ type: 'app_mention', user: 'U0DAVE', channel: 'C0SIPTRIAGE', ts: ts2, text: `<@${FAKE_BOT_USER}> 488` }));
    const card = await waitPost(ts2);
    expect((card.args['blocks'] as { text?: { text: string } }[])[0]?.text?.text).toBe('⚠️ 488 Not Acceptable Here');

    const mark = s.fake.calls.length;
    await post(eventCallback({ type: 'app_mention', user: 'U0DAVE', channel: 'C0SIPTRIAGE', ts: nextTs(), text: `<@${FAKE_BOT_USER}>` }));
    const usage = await s.fake.waitFor(() => s.fake.calls.slice(mark).find((c) => c.method === 'chat.postEphemeral'), 'chat.postEphemeral');
    expect(usage.args['user']).toBe('U0DAVE');
    expectWithinSlackLimits(usage.args);
  });
});

describe('Slack over HTTP: oversized input', () => {
  it('answers a paste over MAX_TRACE_BYTES with a short "too large", and refuses a body over the receiver limit with 413', async () => {
    const raw = fixture('raw/03-unavailable-503.sip');
    const ts = nextTs();
    await post(eventCallback({ type: 'message', user: 'U0FRANK', channel: 'C0SIPTRIAGE', ts, text: raw.repeat(Math.ceil((2.5 * 1024 * 1024) / raw.length)) }));
    const reply = await waitPost(ts);
    expectWithinSlackLimits(reply.args);
    expect(allText(reply.args)).toMatch(/over the 2\.0 MiB limit/);

    const huge = nextTs();
    const r = await postSignedAlone(s.events, SIGNING_SECRET, eventCallback({ type: 'message', user: 'U0FRANK', channel: 'C0SIPTRIAGE', ts: huge, text: raw.repeat(Math.ceil((5 * 1024 * 1024) / raw.length)) }));
    expect(r.status).toBe(413);
    const probe = nextTs();
    await post(eventCallback({ ...fixtureEvent('02-busy-486'), ts: probe }));
    await waitPost(probe);
    expect(postsInThread(huge)).toHaveLength(0);
  });
});

describe('Slack over HTTP: files', () => {
  it('size-checks a shared .log with files.info, downloads it with the bot token and triages it', async () => {
    const bytes = Buffer.from(fixture('asterisk-pjsip/05-proxy-auth-407.log'));
    s.fake.files.set('F0LOG', { id: 'F0LOG', name: 'pjsip.log', bytes });
    const ts = nextTs();
    const mark = s.fake.calls.length;
    await post(eventCallback({ type: 'message', subtype: 'file_share', user: 'U0ERIN', channel: 'C0SIPTRIAGE', ts, text: '', files: [{ id: 'F0LOG', name: 'pjsip.log' }] }));
    const reply = await waitPost(ts);
    const methods = s.fake.calls.slice(mark).map((c) => c.method);
    expect(methods.indexOf('files.info')).toBeLessThan(methods.indexOf('chat.postMessage'));
    expect(s.fake.downloads.find((d) => d.id === 'F0LOG')?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expectWithinSlackLimits(reply.args);
    expect(allText(reply.args)).toContain('From pjsip.log');
    // The digest response of the retried INVITE is never echoed back.
    expect(JSON.stringify(reply.args)).not.toMatch(/response="[0-9a-f]{32}"/);
  });

  it('refuses a file over the limit from its files.info size, without downloading it', async () => {
    s.fake.files.set('F0BIG', { id: 'F0BIG', name: 'huge.log', bytes: Buffer.from('SIP/2.0 503 x\r\n'), size: 50 * 1024 * 1024 });
    const ts = nextTs();
    await post(eventCallback({ type: 'message', subtype: 'file_share', user: 'U0ERIN', channel: 'C0SIPTRIAGE', ts, text: '', files: [{ id: 'F0BIG', name: 'huge.log' }] }));
    const reply = await waitPost(ts);
    expect(String(reply.args['text'])).toMatch(/huge\.log is 50\.0 MiB, over the 2\.0 MiB limit/);
    expect(s.fake.downloads.filter((d) => d.id === 'F0BIG')).toHaveLength(0);
  });

  it('says in the thread when Slack will not hand over a shared file', async () => {
    const ts = nextTs();
    await post(eventCallback({ type: 'message', subtype: 'file_share', user: 'U0ERIN', channel: 'C0SIPTRIAGE', ts, text: '', files: [{ id: 'F0GONE', name: 'gone.log' }] }));
    const reply = await waitPost(ts);
    expect(String(reply.args['text'])).toBe('siptriage could not fetch the shared file (file_not_found).');
  });

  it('hands a shared capture to the engine as bytes', async () => {
    const bytes = readFileSync(join(TRACES, '../captures/02-busy-486.pcapng'));
    s.fake.files.set('F0PCAP', { id: 'F0PCAP', name: 'busy.pcapng', bytes, filetype: 'pcapng' });
    const ts = nextTs();
    await post(messageShortcut({ type: 'message', user: 'U0ERIN', ts, text: '', files: [{ id: 'F0PCAP', name: 'busy.pcapng' }] }, s.fake.responseUrl('pcap')));
    await s.fake.waitFor(() => postsInThread(ts)[0] ?? responsesTo('pcap')[0], 'an answer about the capture');
    expect(s.fake.downloads.filter((d) => d.id === 'F0PCAP')).toHaveLength(1);
    expect(s.fake.callsTo('files.info').some((c) => c.args['file'] === 'F0PCAP')).toBe(true);
  });
});

describe('Slack over HTTP: captures over the text limit', () => {
  it('downloads a shared capture up to MAX_CAPTURE_BYTES, not MAX_TRACE_BYTES, and triages it', async () => {
    // The busy call, then 3 MiB of packets that are not SIP (a capture is mostly media).
    const call = readFileSync(join(TRACES, '../captures/02-busy-486.pcap'));
    const filler = Buffer.alloc(16 + 1200);
    filler.writeUInt32LE(1200, 8);
    filler.writeUInt32LE(1200, 12);
    const bytes = Buffer.concat([call, ...new Array<Buffer>(2600).fill(filler)]);
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    s.fake.files.set('F0BIGCAP', { id: 'F0BIGCAP', name: 'trunk.pcap', bytes, filetype: 'pcap' });
    const ts = nextTs();
    await post(eventCallback({ type: 'message', subtype: 'file_share', user: 'U0ERIN', channel: 'C0SIPTRIAGE', ts, text: '', files: [{ id: 'F0BIGCAP', name: 'trunk.pcap' }] }));
    const reply = await waitPost(ts);
    expect(s.fake.downloads.filter((d) => d.id === 'F0BIGCAP')).toHaveLength(1);
    expect(allText(reply.args)).not.toMatch(/over the .* limit/);
    expect(allText(reply.args)).toContain('486');
  });
});

describe('Slack over HTTP: rate limits and logs', () => {
  it('retries a 429 from the Web API and from response_url after Retry-After, and still delivers', async () => {
    s.fake.rateLimit('chat.postMessage', 1, 1);
    s.fake.rateLimit('response', 1, 1);
    const ts = nextTs();
    await post(eventCallback({ ...fixtureEvent('10-not-found-404'), ts }));
    await post(slashCommand('480', s.fake.responseUrl('limited')));
    await waitPost(ts);
    await waitResponses('limited');
    expect(s.fake.rateLimited).toEqual(expect.arrayContaining(['chat.postMessage', 'response']));
    const attempts = s.fake.callsTo('chat.postMessage').filter((c) => c.args['thread_ts'] === ts);
    expect(attempts.map((c) => c.result?.['ok'])).toEqual([undefined, true]);
    expect(attempts[1]?.args['blocks']).toEqual(attempts[0]?.args['blocks']);
  });

  it('never writes a token, the signing secret or the verification token to the log', () => {
    const all = s.logs.join('\n');
    expect(s.logs.length).toBeGreaterThan(20);
    expect(all).toContain('slack-bolt');
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, 'legacy-verification-token', 'xoxb-']) expect(all).not.toContain(secret);
  });
});
