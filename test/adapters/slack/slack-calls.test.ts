import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, expectWithinSlackLimits } from './block-limits.js';
import { buttonClick, slashCommand } from './slack-requests.js';
import { slackRequests, type SlackService, startSlackService } from './slack-service.js';

const TOKEN = 'ingest-token-for-slack-calls';
let s: SlackService;
beforeAll(async () => {
  s = await startSlackService({ INGEST_TOKEN: TOKEN });
});
afterAll(async () => {
  await s.stop();
});

const { post, waitResponses } = slackRequests(() => s);
const buttons = (body: Record<string, unknown>): Record<string, unknown>[] =>
  (body['blocks'] as Record<string, unknown>[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Record<string, unknown>[]);

// Calls arrive by POST /ingest (the real route and keeper), then are found and opened from Slack.
describe('Slack: /sip calls finds kept calls and opens one as a pasted trace', () => {
  it('lists the B2BUA call\'s legs, and Open answers with the triage (which leg failed first), Share with carrier and the ladder', async () => {
    const trace = readFileSync(join(import.meta.dirname, '../../fixtures/legs/b2bua-xcid-503.txt'));
    const res = await fetch(s.events.replace('/slack/events', '/ingest'), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: trace });
    expect(res.status).toBe(200);
    // The keeper writes within a second; /sip calls is asked until the calls are there.
    let listed: Record<string, unknown> | undefined;
    for (let i = 0; i < 30 && listed === undefined; i++) {
      await post(slashCommand('calls 5xx 1h', s.fake.responseUrl(`list${i}`)));
      const [answer] = await waitResponses(`list${i}`);
      if (allText(answer?.body ?? {}).includes('SBC-7731-0042@203.0.113.5')) listed = answer?.body;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed).toBeDefined();
    expectWithinSlackLimits(listed ?? {});
    const opens = buttons(listed ?? {}).filter((b) => String(b['value']).startsWith('calls open '));
    expect(opens.map((b) => b['value']).sort()).toEqual(['calls open SBC-7731-0042@203.0.113.5', 'calls open a1f3c9e27b5d4e80@192.0.2.10']);
    const open = opens.find((b) => b['value'] === 'calls open a1f3c9e27b5d4e80@192.0.2.10')!;
    const uploadsBefore = s.fake.callsTo('files.completeUploadExternal').length;
    await post(buttonClick(String(open['action_id']), String(open['value']), s.fake.responseUrl('open'), { ts: '1795609600.000100', type: 'message' }));
    const [summary] = await waitResponses('open');
    expect(summary?.body['response_type']).toBe('in_channel');
    expect(allText(summary?.body ?? {}).replace(/\s+/g, ' ')).toContain('The B leg got 503 Service Unavailable from the carrier');
    expect(buttons(summary?.body ?? {}).some((b) => b['action_id'] === 'sip_share_carrier')).toBe(true);
    await s.fake.waitFor(() => s.fake.callsTo('files.completeUploadExternal').length > uploadsBefore, 'the ladder upload');
  });

  it('opens a call whose Call-ID is the 255 characters a kept call holds: the Open button carries the whole query', async () => {
    const id = `${'3c2a7e1b5f0d4c0f9e8b7a6d5c4b3a2f'.repeat(7)}@sbc1.contoso-telecom.example.com`.slice(-255);
    const trace = readFileSync(join(import.meta.dirname, '../../fixtures/traces/raw/02-busy-486.sip'), 'utf8').replaceAll('1-ff1a57597bee484b@uac.example.com', id);
    const res = await fetch(s.events.replace('/slack/events', '/ingest'), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: trace });
    expect(res.status).toBe(200);
    let open: Record<string, unknown> | undefined;
    for (let i = 0; i < 30 && open === undefined; i++) {
      await post(slashCommand('calls 486 1h', s.fake.responseUrl(`long${i}`)));
      const [answer] = await waitResponses(`long${i}`);
      expectWithinSlackLimits(answer?.body ?? {});
      open = buttons(answer?.body ?? {}).find((b) => b['value'] === `calls open ${id}`);
      if (open === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    expect(String(open?.['action_id']).length).toBeLessThanOrEqual(255);
    await post(buttonClick(String(open?.['action_id']), String(open?.['value']), s.fake.responseUrl('open-long'), { ts: '1795609600.000200', type: 'message' }));
    const [summary] = await waitResponses('open-long');
    const text = allText(summary?.body ?? {}).replace(/\s+/g, ' ');
    expect(text).toContain('486 Busy Here');
  });
});
