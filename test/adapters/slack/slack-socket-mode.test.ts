import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinSlackLimits } from './block-limits.js';
import { FakeSlackApi, FAKE_TEAM } from './fake-slack-api.js';
import { APP_TOKEN, BOT_TOKEN, startSlackService, type SlackService } from './slack-service.js';

let s: SlackService;

beforeAll(async () => {
  const fake = await new FakeSlackApi(BOT_TOKEN, APP_TOKEN).start();
  await fake.startSocketMode();
  // Socket Mode: no signing secret needed, nothing served on /slack/events.
  s = await startSlackService({ SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' }, fake);
});
afterAll(async () => {
  await s?.stop();
});

describe('Slack in Socket Mode', () => {
  it('opens the connection with the app token from apps.connections.open', () => {
    const open = s.fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(APP_TOKEN);
    expect(s.fake.sockets).toHaveLength(1);
  });

  it('acknowledges a slash command envelope on the socket and answers through response_url', async () => {
    const socket = s.fake.sockets[0];
    if (socket === undefined) throw new Error('no Socket Mode connection');
    const envelope = {
      envelope_id: 'e1b2c3d4-0001',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy-verification-token',
        team_id: FAKE_TEAM,
        channel_id: 'C0SIPTRIAGE',
        user_id: 'U0ALICE',
        command: '/sip',
        text: '503',
        response_url: s.fake.responseUrl('socket'),
        trigger_id: '9.9.9',
        api_app_id: 'A0FAKE',
      },
    };
    socket.send(JSON.stringify(envelope));
    const ack = await s.fake.waitFor(() => s.fake.socketMessages.find((m) => m['envelope_id'] === envelope.envelope_id), 'the ack');
    expect(ack).toEqual({ envelope_id: 'e1b2c3d4-0001', payload: {} });
    const answer = await s.fake.waitFor(() => s.fake.responses.find((r) => r.id === 'socket'), 'the answer');
    expect(answer.body['response_type']).toBe('ephemeral');
    expectWithinSlackLimits(answer.body);
    expect(JSON.stringify(answer.body['blocks'])).toContain('503 Service Unavailable');
  });

  it('serves no HTTP endpoint for Slack in Socket Mode', async () => {
    const r = await fetch(s.events, { method: 'POST', body: '{}' });
    expect(r.status).toBe(404);
  });
});
