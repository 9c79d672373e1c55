import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { FAKE_BOT_USER, FAKE_TEAM } from './fake-slack-api.js';

/**
 * Requests as Slack sends them to /slack/events, signed the way Slack signs them
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack): HMAC-SHA256 over
 * "v0:<timestamp>:<raw body>" with the signing secret, sent as x-slack-signature: v0=<hex>.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPost {
  readonly body: string;
  readonly contentType: string;
  /** Seconds since the epoch; defaults to now. */
  readonly timestamp?: number;
  /** Replaces the computed signature (forgeries); null leaves the header out. */
  readonly signature?: string | null;
}

export async function postSigned(url: string, secret: string, post: SignedPost): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': post.contentType, 'x-slack-request-timestamp': String(timestamp) };
  const signature = post.signature === undefined ? sign(secret, timestamp, post.body) : post.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: post.body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

/**
 * The same as postSigned on a connection of its own, closed afterwards: for requests the server answers before
 * reading them to the end (413), whose socket must not go back into fetch's keep-alive pool.
 */
export function postSignedAlone(url: string, secret: string, post: SignedPost): Promise<{ status: number }> {
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': post.contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(secret, timestamp, post.body), connection: 'close' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
      req.destroy();
    });
    // The server may close while the body is still going out; the status has been read by then.
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end(post.body);
  });
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export function slashCommand(text: string, responseUrl: string, extra: Record<string, string> = {}): SignedPost {
  const fields = {
    token: 'legacy-verification-token',
    team_id: FAKE_TEAM,
    team_domain: 'example',
    channel_id: 'C0SIPTRIAGE',
    channel_name: 'voip-incidents',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/sip',
    text,
    api_app_id: 'A0FAKE',
    response_url: responseUrl,
    trigger_id: '1.2.3',
    ...extra,
  };
  return { body: new URLSearchParams(fields).toString(), contentType: FORM };
}

let eventSeq = 0;

export function eventCallback(event: Record<string, unknown>): SignedPost {
  eventSeq += 1;
  const body = {
    token: 'legacy-verification-token',
    team_id: FAKE_TEAM,
    api_app_id: 'A0FAKE',
    event,
    type: 'event_callback',
    event_id: `Ev0${eventSeq}${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: FAKE_TEAM, user_id: FAKE_BOT_USER, is_bot: true, is_enterprise_install: false }],
  };
  return { body: JSON.stringify(body), contentType: JSON_TYPE };
}

/** Interactivity payloads (shortcuts, button clicks) arrive form-encoded as payload=<json>. */
export function interaction(payload: Record<string, unknown>): SignedPost {
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM };
}

export function buttonClick(actionId: string, value: string, responseUrl: string, message: Record<string, unknown>, channel = 'C0SIPTRIAGE'): SignedPost {
  return interaction({
    type: 'block_actions',
    user: { id: 'U0BOB', username: 'bob', team_id: FAKE_TEAM },
    api_app_id: 'A0FAKE',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: message['ts'], channel_id: channel, is_ephemeral: message['ts'] === undefined },
    trigger_id: '1.2.4',
    team: { id: FAKE_TEAM, domain: 'example' },
    channel: { id: channel, name: 'voip-incidents' },
    message,
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x' }, value, action_ts: '1795600000.1' }],
  });
}

export function messageShortcut(message: Record<string, unknown>, responseUrl: string, channel = 'C0SIPTRIAGE'): SignedPost {
  return interaction({
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: '1795600000.2',
    team: { id: FAKE_TEAM, domain: 'example' },
    user: { id: 'U0BOB', username: 'bob', team_id: FAKE_TEAM },
    channel: { id: channel, name: 'voip-incidents' },
    callback_id: 'triage_sip_trace',
    trigger_id: '1.2.5',
    message_ts: message['ts'],
    message,
    response_url: responseUrl,
  });
}
