import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_MESSAGE } from '../../../src/ports/triage-runner.js';
import { startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { FAKE, messageMenu, userMessage } from './fake-payloads.js';

// Issue 13: captures shared in Slack claim one of the CAPTURE_JOBS places before their download, which
// bounds the captures held in memory at once; Discord attachments did not, so any number could be read
// at once there. One place here: a second capture while the first is being fetched is told to come back.
const PCAP = readFileSync(join(import.meta.dirname, '../../fixtures/captures/03-unavailable-503.pcap'));

let run: Running;
beforeAll(async () => {
  run = await startAgainstFake({ CAPTURE_JOBS: '1', TRIAGE_WORKERS: '0' });
});
afterAll(async () => run?.stop());

const original = (payload: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${payload.token}/messages/@original`;

describe('Discord captures and the capture-job places', () => {
  it('turns a second capture away while the only place is taken, then reads it once the place is free', async () => {
    const first = run.fake.attachment('first.pcap', PCAP);
    const second = run.fake.attachment('second.pcap', PCAP);
    const release = run.fake.holdDownloads();
    const a = messageMenu(userMessage('', { attachments: [first] }));
    run.fake.dispatch('INTERACTION_CREATE', a);
    // The first capture's download has started and is held: its place is taken.
    while (!run.fake.downloads.includes(new URL(first.url).pathname)) await new Promise((r) => setTimeout(r, 10));

    const b = messageMenu(userMessage('', { attachments: [second] }));
    run.fake.dispatch('INTERACTION_CREATE', b);
    const busy = await run.fake.waitFor(original(b));
    expect(JSON.stringify(busy.body)).toContain(BUSY_MESSAGE);
    expect(JSON.stringify(busy.body)).toContain('second.pcap');
    expect(run.fake.downloads).not.toContain(new URL(second.url).pathname);
    expectWithinDiscordLimits(busy.body);

    release();
    const answered = await run.fake.waitFor(original(a));
    expect(JSON.stringify(answered.body)).toContain('503 Service Unavailable');
    expect(JSON.stringify(answered.body)).not.toContain(BUSY_MESSAGE);

    // The place was given back after the first reading: the same capture again is read.
    const again = messageMenu(userMessage('', { attachments: [second] }));
    run.fake.dispatch('INTERACTION_CREATE', again);
    const read = await run.fake.waitFor(original(again));
    expect(JSON.stringify(read.body)).toContain('503 Service Unavailable');
    expect(run.fake.downloads).toContain(new URL(second.url).pathname);
  });

  it('gives the place back when a download fails, so the next capture is not refused', async () => {
    const gone = { ...run.fake.attachment('gone.pcap', PCAP), url: `${new URL(run.fake.apiUrl).origin}/attachments/0/gone.pcap` };
    const a = messageMenu(userMessage('', { attachments: [gone] }));
    run.fake.dispatch('INTERACTION_CREATE', a);
    await run.fake.waitFor(original(a));
    const next = run.fake.attachment('next.pcap', PCAP);
    const b = messageMenu(userMessage('', { attachments: [next] }));
    run.fake.dispatch('INTERACTION_CREATE', b);
    const read = await run.fake.waitFor(original(b));
    expect(JSON.stringify(read.body)).toContain('503 Service Unavailable');
  });
});
