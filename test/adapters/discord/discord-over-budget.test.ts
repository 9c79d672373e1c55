import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVER_BUDGET_MESSAGE } from '../../../src/ports/triage-runner.js';
import { bigTextTrace, ONE_CALL } from '../../app/big-text-trace.js';
import { startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { FAKE, messageMenu, userMessage } from './fake-payloads.js';

// A Discord attachment whose triage goes over TRIAGE_WORKER_MEMORY_MB (its smallest value, with the trace
// limit raised to let an 8 MiB text file through) is told so in the answer, and the next one is answered.
let run: Running;
beforeAll(async () => {
  run = await startAgainstFake({ TRIAGE_WORKERS: '1', TRIAGE_WORKER_MEMORY_MB: '64', MAX_TRACE_BYTES: String(16 * 1024 * 1024) });
});
afterAll(async () => run?.stop());

const original = (payload: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${payload.token}/messages/@original`;

describe('a Discord attachment over the triage memory budget', () => {
  it('is answered with the over-budget notice, and the service answers the next attachment', { timeout: 180_000 }, async () => {
    const big = run.fake.attachment('big.sip', Buffer.from(bigTextTrace(8)));
    const a = messageMenu(userMessage('', { attachments: [big] }));
    run.fake.dispatch('INTERACTION_CREATE', a);
    const told = await run.fake.waitFor(original(a));
    expect(JSON.stringify(told.body)).toContain('big.sip');
    expect(JSON.stringify(told.body)).toContain(OVER_BUDGET_MESSAGE.slice(0, 60));
    expectWithinDiscordLimits(told.body);
    expect(run.logs.filter((l) => l.msg === 'triage over its memory budget')).toHaveLength(1);

    const small = run.fake.attachment('small.sip', Buffer.from(ONE_CALL));
    const b = messageMenu(userMessage('', { attachments: [small] }));
    run.fake.dispatch('INTERACTION_CREATE', b);
    const read = await run.fake.waitFor(original(b));
    expect(JSON.stringify(read.body)).toContain('503 Service Unavailable');
  });
});
