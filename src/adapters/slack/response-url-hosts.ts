/**
 * Where a response_url may point. Slack's are https on hooks.slack.com, or hooks.slack-gov.com for GovSlack
 * (docs.slack.dev "Handling user interaction", message responses; GovSlack runs on slack-gov.com). The host
 * SLACK_API_URL names is allowed too, for a proxy in front of Slack (and the fake Slack of the tests).
 * Anything else would have the service POST its answers, which may hold call details, wherever a request
 * said, from inside the network it runs in.
 */
const SLACK_HOOK_HOSTS: ReadonlySet<string> = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

export function responseUrlAllowed(url: string, apiUrl: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username !== '' || u.password !== '') return false;
  if (u.protocol === 'https:' && SLACK_HOOK_HOSTS.has(u.hostname) && u.port === '') return true;
  if (apiUrl === undefined) return false;
  const api = new URL(apiUrl);
  return u.protocol === api.protocol && u.host === api.host;
}
