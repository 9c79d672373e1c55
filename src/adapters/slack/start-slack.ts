import { App, HTTPReceiver, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import type { SurfaceStarter } from '../../ports/surface.js';
import type { SlackSurfaceConfig } from './slack-config.js';
import { channelCommands } from '../../commands/channel-commands.js';
import { HeldTraces } from '../held-traces.js';
import { boltLogger } from './bolt-logger.js';
import { registerHandlers } from './register-handlers.js';
import { ReplyMap, SeenEvents } from './reply-map.js';
import { slackChatPoster } from './chat-poster.js';
import type { SlackDeps } from './slack-deps.js';
import { SlackError, slackErrorCode } from './slack-error.js';
import { bufferSlackBody, checkSlackBody, refuseSlackBody } from './slack-body-guard.js';

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Where Event Subscriptions, Interactivity and the /sip command point (slack/manifest.yaml). */
export const SLACK_EVENTS_PATH = '/slack/events';

// Web API retries: 429s wait for Retry-After and count as a retry, like network errors and 5xx; a platform
// error (not_in_channel) is an answer, not retried. Bounded so that a dead Slack does not hold work for hours.
const RETRY = { retries: 8, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true } as const;
const REQUEST_TIMEOUT_MS = 15_000;
const SOCKET_HELLO_MS = 30_000;

/**
 * Slack: Bolt's HTTPReceiver on the shared HTTP server at /slack/events (its signature check kept: a missing
 * or wrong x-slack-signature, or a timestamp more than 5 minutes old, gets 401 before any handler runs), or
 * Socket Mode when an app token is set.
 */
export const startSlack: SurfaceStarter<SlackSurfaceConfig> = async ({ config, log: rootLog, engine, triage, http, store, alerts, stats, metrics, probes, calls }) => {
  const slack = config.slack;
  if (slack === undefined) return undefined;
  const log = rootLog.child({ module: 'slack' });
  const logger = boltLogger(rootLog, [slack.botToken, slack.signingSecret, slack.appToken ?? '']);
  const clientOptions = {
    ...(slack.apiUrl === undefined ? {} : { slackApiUrl: slack.apiUrl }),
    retryConfig: RETRY,
    timeout: REQUEST_TIMEOUT_MS,
  };

  // Who we are, before anything is registered: the bot user id decides which messages are our own.
  let auth: webApi.AuthTestResponse;
  try {
    auth = await new webApi.WebClient(slack.botToken, { ...clientOptions, logger, retryConfig: { retries: 2 } }).auth.test();
  } catch (err) {
    log.error({ err: new SlackError('SLACK_API_FAILED', `auth.test failed: ${slackErrorCode(err) ?? 'Slack not reachable'}`, { cause: err }) }, 'Slack is off');
    return undefined;
  }
  const botUserId = auth.user_id ?? '';
  const botId = auth.bot_id;

  const socketMode = slack.appToken !== undefined;
  // The Events API sends a message's text twice (text and a rich_text block): room for a full-size paste.
  const bodyLimit = Math.max(4 * 1024 * 1024, 2 * config.maxTraceBytes + 256 * 1024);
  const receiver: Receiver = socketMode
    ? new SocketModeReceiver({ appToken: slack.appToken ?? '', logger, installerOptions: { clientOptions } })
    : new HTTPReceiver({
        signingSecret: slack.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger,
        bodyLimit,
      });
  const app = new App({
    token: slack.botToken,
    receiver,
    logger,
    clientOptions,
    ...(botId === undefined ? {} : { botId }),
    botUserId,
    // Bolt's conversation store keeps per-channel state we never read: one async step less per request.
    convoStore: false,
  });

  const inflight = new Set<Promise<unknown>>();
  const poster = slackChatPoster(app.client, log);
  const deps: SlackDeps = {
    engine,
    triage,
    store,
    log,
    commands: channelCommands({ surface: 'slack', log, store, alerts, stats, metrics, probes, calls, redact: engine.options.redact }),
    metrics,
    poster,
    client: app.client,
    botToken: slack.botToken,
    botUserId,
    botId,
    maxBytes: config.maxTraceBytes,
    maxCaptureBytes: config.maxCaptureBytes,
    apiUrl: slack.apiUrl,
    replies: new ReplyMap(),
    seen: new SeenEvents(),
    held: new HeldTraces(),
    track(work) {
      inflight.add(work);
      void work.finally(() => inflight.delete(work)).catch(() => {});
    },
  };
  registerHandlers(app, deps);

  if (socketMode) {
    try {
      // Slack's hello can fail to come (a proxy eating the upgrade): start-up must not hang on it.
      await Promise.race([
        app.start(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no hello within ${SOCKET_HELLO_MS / 1000} s`)), SOCKET_HELLO_MS).unref()),
      ]);
    } catch (err) {
      log.error({ err: new SlackError('SLACK_API_FAILED', 'Socket Mode could not connect', { cause: err }) }, 'Slack is off');
      await Promise.resolve(app.stop()).catch(() => {});
      return undefined;
    }
  } else {
    const listener = (receiver as HTTPReceiver).requestListener;
    http.route('POST', SLACK_EVENTS_PATH, async (req, res) => {
      const body = await bufferSlackBody(req, bodyLimit);
      const refusal =
        body === undefined
          ? ({ status: 413, code: 'SLACK_BODY_TOO_LARGE', message: `the body is over ${bodyLimit} bytes` } as const)
          : checkSlackBody(body, req.headers['content-type'], header(req.headers['x-slack-request-timestamp']), Date.now(), slack.apiUrl);
      if (refusal !== undefined) {
        log.warn({ code: refusal.code, status: refusal.status }, 'Slack request refused before Bolt');
        refuseSlackBody(res, refusal);
        return;
      }
      listener(req, res);
    });
  }
  log.info({ mode: socketMode ? 'socket' : 'http', team: auth.team_id, bot: botUserId, triageThreads: triage.threads }, 'Slack ready');

  return {
    name: 'slack',
    poster,
    async stop() {
      if (socketMode) await app.stop();
      // Answers already acknowledged are finished (or given 10 s) before the process goes.
      // The triage pool is the service's: it closes after every surface has stopped.
      await Promise.race([Promise.allSettled([...inflight]), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    },
  };
};
