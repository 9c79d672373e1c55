import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, expectWithinSlackLimits } from './block-limits.js';
import { FAKE_BOT_USER } from './fake-slack-api.js';
import { buttonClick, eventCallback, messageShortcut, slashCommand } from './slack-requests.js';
import { slackRequests, type SlackService, startSlackService } from './slack-service.js';
import { parseExposition } from '../../ingest/metrics-reader.js';

let s: SlackService;
beforeAll(async () => {
  s = await startSlackService();
});
afterAll(async () => {
  await s.stop();
});

const { post, responsesTo, waitResponses } = slackRequests(() => s);
const scrape = async (): Promise<Map<string, number>> => parseExposition(await (await fetch(s.events.replace('/slack/events', '/metrics'))).text());
const buttons = (body: Record<string, unknown>): Record<string, unknown>[] =>
  (body['blocks'] as Record<string, unknown>[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Record<string, unknown>[]);

// The service from the real start-up code, with its store (SQLite in memory) and the stats service on it.
describe('Slack: /sip channel commands through the shared module', () => {
  it('answers /sip stats from the store through the running stats service, privately with a Share button', async () => {
    await post(slashCommand('stats 7d', s.fake.responseUrl('stats')));
    const [answer] = await waitResponses('stats');
    expect(answer?.body['response_type']).toBe('ephemeral');
    expect(allText(answer?.body ?? {})).toContain('SIP errors, the last 7 days, by code');
    // A new store: nothing recorded yet, said in so many words.
    expect(allText(answer?.body ?? {})).toContain('No SIP errors recorded in the last 7 days, nor in the 7 days before.');
    expect(buttons(answer?.body ?? {}).map((b) => b['action_id'])).toEqual(['sip_share']);
    expectWithinSlackLimits(answer?.body ?? {});
  });

  it('counts what was triaged in the channel: /sip stats shows it, with its codes as buttons that ask for their card', async () => {
    const event = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/traces/slack/02-busy-486.event.json'), 'utf8')) as Record<string, unknown>;
    await post(eventCallback({ ...event, ts: '1795609500.000100' }));
    await s.fake.waitFor(() => s.fake.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === '1795609500.000100'), 'the triage reply');
    await post(slashCommand('stats', s.fake.responseUrl('stats24')));
    const [answer] = await waitResponses('stats24');
    expect(answer?.body['response_type']).toBe('ephemeral');
    expect(String(answer?.body['text'])).toMatch(/^SIP errors, the last 24 hours, by code: 1 failed call/);
    expect(allText(answer?.body ?? {})).toContain('486 Busy Here: 1');
    expect(buttons(answer?.body ?? {})).toEqual([
      { type: 'button', action_id: 'sip_query:0', text: { type: 'plain_text', text: '486 Busy Here' }, value: '486' },
      { type: 'button', action_id: 'sip_share', text: { type: 'plain_text', text: 'Share in channel' }, value: 'stats' },
    ]);
    expectWithinSlackLimits(answer?.body ?? {});
    await post(buttonClick('sip_query:0', '486', s.fake.responseUrl('stats-click'), { ts: '1795609501.000100', type: 'message' }));
    expect(String((await waitResponses('stats-click'))[0]?.body['text'])).toMatch(/^486 Busy Here/);
  });

  it('subscribes the channel to the daily digest in the store, tells the channel who did, and shows it in the status', async () => {
    await post(slashCommand('digest', s.fake.responseUrl('dbefore')));
    expect(String((await waitResponses('dbefore'))[0]?.body['text'])).toMatch(/^The daily digest is not posted in this channel/);
    await post(slashCommand('digest subscribe', s.fake.responseUrl('dsub')));
    const [mine, channel] = await waitResponses('dsub', 2);
    expect(mine?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(mine?.body['text'])).toMatch(/^The daily digest is posted in this channel/);
    expectWithinSlackLimits(mine?.body ?? {});
    expect(channel?.body).toMatchObject({ response_type: 'in_channel', text: '<@U0ALICE> subscribed this channel to the daily digest.' });
    await post(slashCommand('digest status', s.fake.responseUrl('dstatus')));
    expect(String((await waitResponses('dstatus'))[0]?.body['text'])).toMatch(/^The daily digest is posted in this channel/);
    // Another channel of the same workspace is not subscribed.
    await post(slashCommand('digest', s.fake.responseUrl('dother'), { channel_id: 'C0OTHER' }));
    expect(String((await waitResponses('dother'))[0]?.body['text'])).toMatch(/^The daily digest is not posted in this channel/);
  });

  it('hands /sip alerts subscribe to the alert service, tells the channel who did it, and shows it on in the status', async () => {
    await post(slashCommand('alerts subscribe', s.fake.responseUrl('asub')));
    const [mine, channel] = await waitResponses('asub', 2);
    expect(mine?.body['response_type']).toBe('ephemeral');
    expect(String(mine?.body['text'])).toMatch(/^Spike alerts will be posted here/);
    // Kept in the store: no "lasts until restart" note.
    expect(allText(mine?.body ?? {})).not.toContain('lasts until siptriage restarts');
    expectWithinSlackLimits(mine?.body ?? {});
    expect(channel?.body).toMatchObject({ response_type: 'in_channel', text: '<@U0ALICE> subscribed this channel to spike alerts.' });

    await post(slashCommand('alerts', s.fake.responseUrl('astatus')));
    const [status] = await waitResponses('astatus');
    expect(allText(status?.body ?? {})).toMatch(/\*Alerts here\*\non/);
    // Reading the settings changes nothing, so the channel hears nothing.
    expect(responsesTo('astatus')).toHaveLength(1);
  });

  it('counts every /sip command by kind in /metrics', async () => {
    const before = await scrape();
    const at = (m: Map<string, number>, kind: string) => m.get(`siptriage_chat_commands_total{surface="slack",kind="${kind}"}`) ?? 0;
    await post(slashCommand('alerts', s.fake.responseUrl('m1')));
    await post(slashCommand('stats', s.fake.responseUrl('m2')));
    await post(slashCommand('503', s.fake.responseUrl('m3')));
    await waitResponses('m1');
    await waitResponses('m2');
    await waitResponses('m3');
    const after = await scrape();
    expect(at(after, 'alerts') - at(before, 'alerts')).toBe(1);
    expect(at(after, 'stats') - at(before, 'stats')).toBe(1);
    expect(at(after, 'code') - at(before, 'code')).toBe(1);
  });

  it('counts a trace triaged on request (shortcut or mention) as a triage command', async () => {
    const trace = readFileSync(join(import.meta.dirname, '../../fixtures/traces/raw/02-busy-486.sip'), 'utf8');
    const at = (m: Map<string, number>) => m.get('siptriage_chat_commands_total{surface="slack",kind="triage"}') ?? 0;
    const before = at(await scrape());
    await post(messageShortcut({ type: 'message', user: 'U0ALICE', ts: '1795609300.000100', text: trace }, s.fake.responseUrl('shortcut')));
    await s.fake.waitFor(() => s.fake.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === '1795609300.000100'), 'the shortcut answer');
    await post(eventCallback({ type: 'app_mention', user: 'U0ALICE', text: `<@${FAKE_BOT_USER}> ${trace}`, ts: '1795609400.000100', channel: 'C0SIPTRIAGE', event_ts: '1795609400.000100' }));
    await s.fake.waitFor(() => s.fake.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === '1795609400.000100'), 'the mention answer');
    // Counted once the answer is complete (the ladder goes up after the reply): wait for it, not for a time.
    let now = at(await scrape());
    while (now - before < 2) {
      await new Promise((r) => setTimeout(r, 20));
      now = at(await scrape());
    }
    expect(now - before).toBe(2);
  });

  it('answers a card action button with its query, privately, under the card', async () => {
    await post(buttonClick('sip_query:0', '486', s.fake.responseUrl('click'), { ts: '1795609000.000100', type: 'message' }));
    const [answer] = await waitResponses('click');
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer?.body['text'])).toMatch(/^486 Busy Here/);
    expectWithinSlackLimits(answer?.body ?? {});
  });

  it('answers "@siptriage auto status" in the thread, and bad input privately', async () => {
    await post(eventCallback({ type: 'app_mention', user: 'U0ALICE', text: `<@${FAKE_BOT_USER}> auto`, ts: '1795609100.000100', channel: 'C0SIPTRIAGE', event_ts: '1795609100.000100' }));
    const call = await s.fake.waitFor(() => s.fake.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === '1795609100.000100'), 'the answer in the thread');
    expect(String(call.args['text'])).toMatch(/^Automatic triage is on in this channel/);
    expect(allText(call.args)).toContain('Asked by <@U0ALICE>');
    expectWithinSlackLimits(call.args);
    await post(eventCallback({ type: 'app_mention', user: 'U0ALICE', text: `<@${FAKE_BOT_USER}> auto sometimes`, ts: '1795609150.000100', channel: 'C0SIPTRIAGE', event_ts: '1795609150.000100' }));
    const eph = await s.fake.waitFor(() => s.fake.callsTo('chat.postEphemeral').find((c) => c.args['thread_ts'] === '1795609150.000100'), 'the private answer');
    expect(eph.args).toMatchObject({ user: 'U0ALICE', channel: 'C0SIPTRIAGE' });
    expect(String(eph.args['text'])).toMatch(/^siptriage: auto command not understood/);
  });
});
