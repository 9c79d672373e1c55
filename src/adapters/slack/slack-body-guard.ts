import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { responseUrlAllowed } from './response-url-hosts.js';

/** Why a request to /slack/events was answered before Bolt saw it; stable codes for logs and tests. */
export interface SlackBodyRefusal {
  readonly status: 400 | 401 | 413;
  readonly code: 'SLACK_BODY_TOO_LARGE' | 'SLACK_BODY_SHAPE' | 'SLACK_TIMESTAMP_FUTURE' | 'SLACK_RESPONSE_URL';
  readonly message: string;
}

// Slack's own rule is five minutes either way (docs.slack.dev "Verifying requests from Slack"); Bolt checks
// only the past side, so a request signed for next year would be replayable for a year.
const MAX_SKEW_SEC = 5 * 60;

/**
 * The checks Bolt's HTTPReceiver does not make, on the buffered body, before it is handed on: the
 * body must parse to a JSON object (Bolt reads `body.type` of whatever JSON.parse returned, and a
 * `null` there is an unhandled rejection that ends the process), an `event` must be an object, the
 * timestamp must not lie in the future, and every response_url must be Slack's (response-url-hosts.ts).
 * A body that is not JSON at all is left to Bolt, which answers it.
 */
export function checkSlackBody(
  raw: Buffer,
  contentType: string | undefined,
  timestampHeader: string | undefined,
  nowMs: number,
  apiUrl?: string,
): SlackBodyRefusal | undefined {
  const ts = Number(timestampHeader);
  if (Number.isFinite(ts) && ts > Math.floor(nowMs / 1000) + MAX_SKEW_SEC) {
    return { status: 401, code: 'SLACK_TIMESTAMP_FUTURE', message: 'x-slack-request-timestamp is in the future' };
  }
  const parsed = parseLikeBolt(raw.toString('utf8'), contentType);
  if (parsed === NOT_JSON) return undefined;
  if (!isObject(parsed)) return shape('the body is not a JSON object');
  if ('event' in parsed && !isObject(parsed['event'])) return shape('"event" is not an object');
  for (const url of responseUrls(parsed)) {
    if (typeof url !== 'string' || !responseUrlAllowed(url, apiUrl)) {
      return { status: 400, code: 'SLACK_RESPONSE_URL', message: 'response_url is not a Slack address' };
    }
  }
  return undefined;
}

// A slash command or an interaction carries `response_url`; a view submission, `response_urls[]`.
function responseUrls(body: Record<string, unknown>): unknown[] {
  const urls: unknown[] = 'response_url' in body ? [body['response_url']] : [];
  const list = body['response_urls'];
  if (Array.isArray(list)) for (const item of list) urls.push(isObject(item) ? item['response_url'] : item);
  return urls;
}

const NOT_JSON = Symbol('not JSON');

// The same reading as Bolt's parseHTTPRequestBody: a form with a `payload` field is that field's JSON.
function parseLikeBolt(text: string, contentType: string | undefined): unknown {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQuery(text);
      return typeof form['payload'] === 'string' ? JSON.parse(form['payload']) : form;
    }
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shape(message: string): SlackBodyRefusal {
  return { status: 400, code: 'SLACK_BODY_SHAPE', message };
}

/**
 * Reads the whole body (up to `limit` bytes) and leaves it where Bolt looks for an already-read body
 * (`rawBody`), so Bolt verifies the signature over exactly these bytes.
 */
export function bufferSlackBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      const body = Buffer.concat(chunks);
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      resolve(body);
    });
    req.once('error', reject);
  });
}

/** The answer to a refused request; the connection closes, as the rest of a large body is not read. */
export function refuseSlackBody(res: ServerResponse, refusal: SlackBodyRefusal): void {
  res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ error: refusal.message }));
}
