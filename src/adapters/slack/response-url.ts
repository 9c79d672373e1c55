import { setTimeout as sleep } from 'node:timers/promises';
import { SlackError } from './slack-error.js';

export interface ResponseUrlOptions {
  /** Attempts in all, the first included; 429s and 5xx are retried, other failures are not. */
  readonly attempts: number;
  readonly timeoutMs: number;
  /** Longest wait honoured from a Retry-After header, in seconds. */
  readonly maxRetryAfterSeconds: number;
}

export const RESPONSE_URL_DEFAULTS = { attempts: 5, timeoutMs: 10_000, maxRetryAfterSeconds: 60 } as const satisfies Required<ResponseUrlOptions>;

/**
 * Posts to a response_url (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses).
 * The Web API client retries its own 429s; response_url posts go through fetch, so they are retried here,
 * after the Retry-After Slack sends, so that a rate-limited answer is late rather than lost.
 */
export async function postToResponseUrl(url: string, body: object, options: ResponseUrlOptions = RESPONSE_URL_DEFAULTS): Promise<void> {
  let lastStatus = 0;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      if (attempt === options.attempts) throw new SlackError('SLACK_RESPONSE_URL_FAILED', 'could not reach the response_url', { cause: err });
      await sleep(backoff(attempt));
      continue;
    }
    const text = await res.text();
    if (res.ok) return;
    lastStatus = res.status;
    if (res.status === 429) {
      await sleep(Math.min(retryAfterSeconds(res.headers.get('retry-after')), options.maxRetryAfterSeconds) * 1000);
      continue;
    }
    if (res.status >= 500 && attempt < options.attempts) {
      await sleep(backoff(attempt));
      continue;
    }
    throw new SlackError('SLACK_RESPONSE_URL_FAILED', `response_url answered ${res.status}: ${text.slice(0, 100)}`);
  }
  throw new SlackError('SLACK_RESPONSE_URL_FAILED', `response_url still failing after ${options.attempts} attempts (last status ${lastStatus})`);
}

function retryAfterSeconds(header: string | null): number {
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : 1;
}

function backoff(attempt: number): number {
  return Math.min(250 * 2 ** (attempt - 1), 4000);
}
