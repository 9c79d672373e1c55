import type { App } from '@slack/bolt';
import { answerSipCommand } from './command-sip.js';
import { onDetails, onQueryButton, onShare, onTriageShortcut } from './interactions.js';
import { onAppMention, onMessageEvent } from './message-events.js';
import { ACTION_QUERY_PREFIX } from './render-blocks.js';
import { postToResponseUrl } from './response-url.js';
import { ACTION_SHARE_CARRIER, ACTION_SHARE_CARRIER_KEEP, onShareUnmasked, onShareWithCarrier } from './share-button.js';
import type { SlackDeps } from './slack-deps.js';
import { ACTION_DETAILS, ACTION_SHARE, noticeMessage, SHORTCUT_TRIAGE, SIP_COMMAND } from './slack-messages.js';

type Payload = Record<string, unknown>;

/**
 * Every listener acknowledges first and works after: Slack wants its answer within 3 s whatever the trace
 * size, and the reply goes out through response_url or the Web API. (Bolt acks Events API requests itself
 * before listeners run.) Work runs detached and tracked, so stop() can wait for it, and starts from
 * setImmediate: after the event loop has read the requests already waiting, so under load their acks go
 * out before other requests' answers are computed.
 */
export function registerHandlers(app: App, deps: SlackDeps): void {
  const run = (what: string, work: () => Promise<void>, responseUrl?: string): void => {
    const done = new Promise((resolve) => setImmediate(resolve)).then(work).catch(async (err: unknown) => {
      deps.log.error({ err, what }, 'Slack answer failed');
      if (responseUrl === undefined) return;
      const code = (err as { code?: unknown }).code;
      await postToResponseUrl(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...noticeMessage(`siptriage could not answer this${typeof code === 'string' ? ` (${code})` : ''}. The details are in its log.`),
      }).catch((e: unknown) => deps.log.warn({ err: e }, 'could not report the failure to Slack'));
    });
    deps.track(done);
  };

  app.command(SIP_COMMAND, async ({ command, ack }) => {
    await ack();
    run('command', () => answerSipCommand(deps, command), command.response_url);
  });

  app.event('message', async ({ event, body }) => {
    run('message', () => onMessageEvent(deps, body as unknown as Payload, event as unknown as Payload));
  });

  app.event('app_mention', async ({ event, body }) => {
    run('app_mention', () => onAppMention(deps, body as unknown as Payload, event as unknown as Payload));
  });

  app.shortcut(SHORTCUT_TRIAGE, async ({ shortcut, ack }) => {
    await ack();
    const body = shortcut as unknown as Payload;
    run('shortcut', () => onTriageShortcut(deps, body), typeof body['response_url'] === 'string' ? body['response_url'] : undefined);
  });

  // Buttons: Share in channel, Details, a card's follow-up queries (action_id "sip_query:<n>", the query in
  // the value) and Share with carrier. Each acks, then answers from its handler with the button's value.
  const buttons: readonly [string | RegExp, string, (deps: SlackDeps, body: Payload, value: string) => Promise<void>][] = [
    [ACTION_SHARE, 'share', onShare],
    [ACTION_DETAILS, 'details', onDetails],
    [new RegExp(`^${ACTION_QUERY_PREFIX}\\d+$`), 'query button', onQueryButton],
    [ACTION_SHARE_CARRIER, 'share_carrier', (d, b, v) => onShareWithCarrier(d, b, v)],
    [ACTION_SHARE_CARRIER_KEEP, 'share_carrier_keep', onShareUnmasked],
  ];
  for (const [id, what, handler] of buttons) {
    app.action(id, async ({ action, body, ack }) => {
      await ack();
      const b = body as unknown as Payload;
      run(what, () => handler(deps, b, valueOf(action)), responseUrlOf(b));
    });
  }

  // Whatever escapes a listener is logged here; Bolt's default would re-throw into the receiver.
  app.error(async (err) => {
    deps.log.error({ err }, 'Slack listener error');
  });
}

function valueOf(action: unknown): string {
  const v = (action as { value?: unknown }).value;
  return typeof v === 'string' ? v : '';
}

function responseUrlOf(body: Payload): string | undefined {
  return typeof body['response_url'] === 'string' ? body['response_url'] : undefined;
}
