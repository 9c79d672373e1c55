import { describe, expect, it } from 'vitest';
import { responseUrlAllowed } from '../../../src/adapters/slack/response-url-hosts.js';
import { checkSlackBody } from '../../../src/adapters/slack/slack-body-guard.js';

describe('where a response_url may point', () => {
  it.each([
    'https://hooks.slack.com/commands/T0001/1234/abcd',
    'https://hooks.slack.com/actions/T0001/1234/abcd',
    'https://hooks.slack-gov.com/commands/T0001/1234/abcd',
  ])('allows Slack and GovSlack: %s', (url) => {
    expect(responseUrlAllowed(url, undefined)).toBe(true);
  });

  it.each([
    ['plain http', 'http://hooks.slack.com/commands/T0001/1/x'],
    ['a look-alike host', 'https://hooks.slack.com.evil.test/commands/T0001/1/x'],
    ['a host that ends like Slack', 'https://evilhooks.slack.com/x'],
    ['another Slack host', 'https://slack.com/api/chat.postMessage'],
    ['a port', 'https://hooks.slack.com:8443/commands/T0001/1/x'],
    ['credentials', 'https://user:pw@hooks.slack.com/commands/T0001/1/x'],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data/'],
    ['loopback', 'http://127.0.0.1:9999/response/x'],
    ['not a URL', 'hooks.slack.com/commands'],
    ['another scheme', 'file:///etc/passwd'],
  ])('refuses %s', (_what, url) => {
    expect(responseUrlAllowed(url, undefined)).toBe(false);
  });

  it('allows the host SLACK_API_URL names (a proxy, or a fake Slack) and only that host and scheme', () => {
    const api = 'http://127.0.0.1:4000/api/';
    expect(responseUrlAllowed('http://127.0.0.1:4000/response/a', api)).toBe(true);
    expect(responseUrlAllowed('http://127.0.0.1:4001/response/a', api)).toBe(false);
    expect(responseUrlAllowed('https://127.0.0.1:4000/response/a', api)).toBe(false);
    expect(responseUrlAllowed('https://hooks.slack.com/commands/T/1/x', api)).toBe(true);
  });
});

describe('the body guard on response_url', () => {
  const now = Date.now();
  const ts = String(Math.floor(now / 1000));
  const form = 'application/x-www-form-urlencoded';
  const check = (body: string, type = form): string | undefined => checkSlackBody(Buffer.from(body), type, ts, now)?.code;

  it("refuses a slash command, an interaction or a view whose response_url is not Slack's", () => {
    expect(check('command=%2Fsip&text=503&response_url=http%3A%2F%2F169.254.169.254%2F')).toBe('SLACK_RESPONSE_URL');
    expect(check('command=%2Fsip&response_url=https%3A%2F%2Fhooks.slack.com%2Fa&response_url=http%3A%2F%2Fx%2F')).toBe('SLACK_RESPONSE_URL');
    expect(check(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', response_url: 'https://evil.test/x' }))}`)).toBe('SLACK_RESPONSE_URL');
    expect(check(`payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', response_urls: [{ response_url: 'https://evil.test/x' }] }))}`)).toBe('SLACK_RESPONSE_URL');
    expect(check(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', response_url: 42 }))}`)).toBe('SLACK_RESPONSE_URL');
  });

  it('passes Slack-shaped bodies, and bodies without a response_url', () => {
    expect(check('command=%2Fsip&text=503&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F2%2Fx')).toBeUndefined();
    expect(check(`payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', response_urls: [{ response_url: 'https://hooks.slack.com/app/T1/2/x' }] }))}`)).toBeUndefined();
    expect(check(JSON.stringify({ type: 'event_callback', event: { type: 'message' } }), 'application/json')).toBeUndefined();
  });
});
