import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/slack-service.js';
import { buttonClick, postSigned, slashCommand } from '../adapters/slack/slack-requests.js';
import { startServed, type ServedProcess } from './served-process.js';

// Issue 13 item 4 (and the Slack parts of item 8): signed requests whose JSON is valid but not the shape Bolt
// assumes. Before the guard, `null` was an unhandled rejection inside Bolt's receiver and ended the process.
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

let fake: FakeSlackApi;
let served: ServedProcess;

beforeAll(async () => {
  fake = await new FakeSlackApi(BOT_TOKEN).start();
  served = await startServed({ DATABASE_URL: ':memory:', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl }, 'Slack ready');
}, 60_000);

afterAll(async () => {
  await served?.stop();
  await fake?.stop();
});

const hostile: [string, string, string][] = [
  ['JSON null', 'null', JSON_TYPE],
  ['JSON number', '42', JSON_TYPE],
  ['JSON string', '"x"', JSON_TYPE],
  ['JSON array', '[]', JSON_TYPE],
  ['form payload=null', 'payload=null', FORM],
  ['form payload=7', 'payload=7', FORM],
  ['form payload=[null]', `payload=${encodeURIComponent('[null]')}`, FORM],
  ['an event that is a string', JSON.stringify({ type: 'event_callback', event: 'x', event_id: 'Ev1', team_id: 'T0' }), JSON_TYPE],
  ['an event that is null', JSON.stringify({ type: 'event_callback', event: null, event_id: 'Ev2', team_id: 'T0' }), JSON_TYPE],
];

describe('signed Slack requests with hostile bodies, against the served process', () => {
  it.each(hostile)('answers %s with 400 and keeps serving', async (_name, body, contentType) => {
    const r = await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, { body, contentType });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toHaveProperty('error');
    expect(served.alive()).toBe(true);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
  });

  it('still answers a real slash command after all of them, and logged no unhandled rejection', async () => {
    const r = await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, slashCommand('503', fake.responseUrl('after-hostile')));
    expect(r.status).toBe(200);
    await fake.waitFor(() => fake.responses.find((x) => x.id === 'after-hostile'), 'the answer to /sip 503', 20_000);
    expect(served.logs.filter((l) => l['code'] === 'UNHANDLED_REJECTION')).toEqual([]);
    expect(served.logs.filter((l) => l['code'] === 'SLACK_BODY_SHAPE').length).toBe(hostile.length);
  });

  it('refuses a signed slash command whose response_url is not Slack, and posts nothing there', async () => {
    const hits: string[] = [];
    const trap = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    try {
      const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/steal`;
      const r = await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, slashCommand('503', trapUrl));
      expect(r.status).toBe(400);
      const click = await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, buttonClick('sip_query:0', '486', trapUrl, { ts: '1795609501.000100', type: 'message' }));
      expect(click.status).toBe(400);
      // A real answer to a real command after both, so a stray post to the trap would have happened by now.
      await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, slashCommand('503', fake.responseUrl('after-trap')));
      await fake.waitFor(() => fake.responses.find((x) => x.id === 'after-trap'), 'the answer to /sip 503', 20_000);
      expect(hits).toEqual([]);
      expect(served.logs.filter((l) => l['code'] === 'SLACK_RESPONSE_URL')).toHaveLength(2);
    } finally {
      await new Promise((resolve) => trap.close(resolve));
    }
  });

  it('refuses a correctly signed request timestamped a year ahead (a replay window of a year)', async () => {
    const ahead = Math.floor(Date.now() / 1000) + 365 * 86_400;
    const r = await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, { ...slashCommand('503', fake.responseUrl('future')), timestamp: ahead });
    expect(r.status).toBe(401);
    const soon = Math.floor(Date.now() / 1000) + 60;
    const ok = await postSigned(`${served.base}/slack/events`, SIGNING_SECRET, { ...slashCommand('503', fake.responseUrl('skew')), timestamp: soon });
    expect(ok.status).toBe(200);
  });
});
