import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVER_BUDGET_MESSAGE } from '../../src/ports/triage-runner.js';
import { FakeSlackApi, type ApiCall } from '../adapters/slack/fake-slack-api.js';
import { eventCallback, postSigned } from '../adapters/slack/slack-requests.js';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/slack-service.js';
import { bigTextTrace, ONE_CALL } from '../app/big-text-trace.js';
import { startServed, type ServedProcess } from './served-process.js';

// Issue 13: a job over its memory budget is answered "too big" and the service keeps serving. Forced here
// with the smallest budget TRIAGE_WORKER_MEMORY_MB allows and a trace limit raised so that an 8 MiB text
// file, shared in Slack's file path, is let through to a triage thread that cannot hold it.
let fake: FakeSlackApi;
let served: ServedProcess;

beforeAll(async () => {
  fake = await new FakeSlackApi(BOT_TOKEN, APP_TOKEN).start();
  fake.files.set('F0BIGTEXT', { id: 'F0BIGTEXT', name: 'big.sip', bytes: Buffer.from(bigTextTrace(8)), filetype: 'text' });
  served = await startServed(
    {
      DATABASE_URL: ':memory:', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
      TRIAGE_WORKERS: '1', TRIAGE_WORKER_MEMORY_MB: '64', MAX_TRACE_BYTES: String(16 * 1024 * 1024),
    },
    'Slack ready',
  );
}, 60_000);

afterAll(async () => {
  await served?.stop();
  await fake?.stop();
});

const answerIn = (ts: string): ApiCall | undefined => fake.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === ts);

describe('a shared file whose triage goes over TRIAGE_WORKER_MEMORY_MB', () => {
  it('is answered "too big" in its thread, and the service answers the next trace', { timeout: 180_000 }, async () => {
    const ts = '1765200000.000100';
    await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, eventCallback({ type: 'message', subtype: 'file_share', user: 'U0MALLORY', channel: 'C0SIPTRIAGE', ts, text: '', files: [{ id: 'F0BIGTEXT', name: 'big.sip' }] }));
    const answer = await fake.waitFor(() => answerIn(ts), 'the answer to the big file', 150_000);
    expect(JSON.stringify(answer.args)).toContain(OVER_BUDGET_MESSAGE.slice(0, 60));
    expect(served.logs.filter((l) => l['msg'] === 'triage worker went over its memory budget and was replaced')).toHaveLength(1);
    expect(served.alive()).toBe(true);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);

    const next = '1765200000.000200';
    await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, eventCallback({ type: 'message', user: 'U0ALICE', channel: 'C0SIPTRIAGE', ts: next, text: ONE_CALL, channel_type: 'channel' }));
    const again = await fake.waitFor(() => answerIn(next), 'the answer to the next paste', 60_000);
    expect(JSON.stringify(again.args)).toContain('SIP trace: 1 call, 1 failed');
  });
});
