import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../../src/app/config.js';
import { REDACT_PATHS } from '../../../src/app/logger.js';
import { type Logger } from '../../../src/ports/logger.js';
import { startService, type Service } from '../../../src/app/start.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { postSigned } from './slack-requests.js';

export const BOT_TOKEN = 'xoxb-1111111111-2222222222-SecretBotTokenForTests';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const APP_TOKEN = 'xapp-1-A0FAKE-3333333333-SecretAppTokenForTests';

export interface SlackService {
  readonly fake: FakeSlackApi;
  readonly service: Service;
  /** http://127.0.0.1:<port>/slack/events */
  readonly events: string;
  /** Every log line the service wrote, at debug level (Bolt and the Web API client included). */
  readonly logs: string[];
  stop(): Promise<void>;
}

/** A JSON-lines pino logger into memory, with the service's redaction, at debug so Bolt logs everything. */
export function memoryLogger(lines: string[], level = 'debug'): Logger {
  return pino({ level, base: { service: 'siptriage' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, { write: (l: string) => void lines.push(l) });
}

/** The real service from the real start-up code, configured for Slack against the fake API on 127.0.0.1. */
export async function startSlackService(env: Record<string, string> = {}, fake?: FakeSlackApi): Promise<SlackService> {
  const api = fake ?? (await new FakeSlackApi(BOT_TOKEN, APP_TOKEN).start());
  const result = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CONSOLE: 'off',
    LOG_LEVEL: 'debug',
    TRIAGE_WORKERS: '0',
    // A store per service, gone with it: tests leave nothing in ./data.
    DATABASE_URL: ':memory:',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.apiUrl,
    ...env,
  });
  if (!result.ok) throw new Error(result.error);
  const logs: string[] = [];
  const service = await startService(result.config, memoryLogger(logs), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
  return {
    fake: api,
    service,
    events: `http://127.0.0.1:${service.address.port}/slack/events`,
    logs,
    async stop() {
      await service.stop();
      await api.stop();
    },
  };
}

/**
 * What a test asks of a running Slack service: a signed post to its events URL, the response_url posts made to
 * an id, and a wait for them. `target` is read at each call, since services start in beforeAll.
 */
export function slackRequests(target: () => { readonly events: string; readonly fake: FakeSlackApi }) {
  const responsesTo = (id: string) => target().fake.responses.filter((r) => r.id === id);
  return {
    post: (p: Parameters<typeof postSigned>[2]) => postSigned(target().events, SIGNING_SECRET, p),
    responsesTo,
    waitResponses: (id: string, n = 1) => target().fake.waitFor(() => responsesTo(id).length >= n && responsesTo(id), `${n} response_url post(s) to ${id}`),
  };
}

