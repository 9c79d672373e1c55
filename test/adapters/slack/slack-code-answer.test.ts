import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, expectWithinSlackLimits, textObjects } from './block-limits.js';
import { buttonClick, slashCommand } from './slack-requests.js';
import { slackRequests, type SlackService, startSlackService } from './slack-service.js';

let s: SlackService;
beforeAll(async () => {
  s = await startSlackService();
});
afterAll(async () => {
  await s.stop();
});

const { post, responsesTo, waitResponses } = slackRequests(() => s);
type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (body: Record<string, unknown>): Button[] =>
  (body['blocks'] as { type: string; elements?: Button[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const textLength = (body: Record<string, unknown>): number => textObjects(body['blocks']).reduce((n, t) => n + t.length, 0);

// Issue 20, end to end against the fake Slack: the first answer is one screen, each part is a button that answers privately.
describe('Slack: /sip <code> a part at a time', () => {
  it('answers /sip 503 privately in one screen, and every part button answers the clicker with that part', async () => {
    await post(slashCommand('503', s.fake.responseUrl('first')));
    const [first] = await waitResponses('first');
    const body = first?.body ?? {};
    expect(body['response_type']).toBe('ephemeral');
    expectWithinSlackLimits(body);
    expect((body['blocks'] as unknown[]).length).toBeLessThanOrEqual(8);
    expect(textLength(body)).toBeLessThanOrEqual(1500);
    expect(body['text']).toMatch(/^503 Service Unavailable: The server cannot take requests right now/);
    expect(allText(body)).toContain('*Do now*');
    expect(allText(body)).not.toContain('Likely causes');

    const parts = buttonsOf(body).filter((b) => /^503 [a-z]+$/.test(b.value));
    expect(parts.map((b) => b.value)).toEqual(['503 meaning', '503 causes', '503 checks', '503 fixes', '503 retry', '503 platforms', '503 examples', '503 sources']);
    const titles: Record<string, string> = {
      '503 meaning': '*Meaning*',
      '503 causes': '*Likely causes*',
      '503 checks': '*What to check*',
      '503 fixes': '*How to fix*',
      '503 retry': '*Retry and failover*',
      '503 platforms': '*Platform notes*',
      '503 examples': '*Worked example: ',
      '503 sources': '*Sources*',
    };
    for (const b of parts) {
      const id = `part-${b.value.replace(' ', '-')}`;
      const ack = await post(buttonClick(b.action_id, b.value, s.fake.responseUrl(id), { type: 'message' }));
      expect(ack.status).toBe(200);
      const [answer] = await waitResponses(id);
      const a = answer?.body ?? {};
      // Privately, under the card that holds the button (which stays).
      expect(a).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expectWithinSlackLimits(a);
      expect(allText(a)).toContain(titles[b.value]);
      expect(allText(a), b.value).not.toMatch(/…and \d+ more/);
    }
    const fixes = responsesTo('part-503-fixes')[0]?.body ?? {};
    expect(allText(fixes)).toContain('5. Send 503 only when the whole server is unavailable');
    expect(fixes['text']).toBe('503 Service Unavailable: fixes');
  });

  it('opens a related code as its own first answer', async () => {
    await post(slashCommand('503', s.fake.responseUrl('rel-first')));
    const [first] = await waitResponses('rel-first');
    const related = buttonsOf(first?.body ?? {}).find((b) => b.value === '504');
    expect(related?.text.text).toBe('504 Server Time-out');
    await post(buttonClick(related?.action_id ?? '', '504', s.fake.responseUrl('rel-504'), { type: 'message' }));
    const [answer] = await waitResponses('rel-504');
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer?.body['text']).toMatch(/^504 Server Time-out: /);
    expect(textLength(answer?.body ?? {})).toBeLessThanOrEqual(1500);
  });

  it('posts the short answer for the channel with "public" and with Share in channel, not the whole card', async () => {
    await post(slashCommand('503 public', s.fake.responseUrl('pub')));
    const [pub] = await waitResponses('pub');
    expect(pub?.body['response_type']).toBe('in_channel');
    expect((pub?.body['blocks'] as unknown[]).length).toBeLessThanOrEqual(8);
    expect(textLength(pub?.body ?? {})).toBeLessThanOrEqual(1500);
    expect(allText(pub?.body ?? {})).toContain('Asked by <@U0ALICE> with `/sip 503`');

    await post(buttonClick('sip_share', '503', s.fake.responseUrl('share'), {}));
    const [shared] = await waitResponses('share', 2);
    expect(shared?.body['response_type']).toBe('in_channel');
    expect(textLength(shared?.body ?? {})).toBeLessThanOrEqual(1500);
    expect(allText(shared?.body ?? {})).not.toContain('Likely causes');
  });

  it('answers /sip 503 fixes typed as text with the fixes', async () => {
    await post(slashCommand('503 fixes', s.fake.responseUrl('typed')));
    const [answer] = await waitResponses('typed');
    expect(allText(answer?.body ?? {})).toContain('*How to fix*');
    expect(buttonsOf(answer?.body ?? {}).map((b) => b.value)).toContain('503 causes');
  });
});
