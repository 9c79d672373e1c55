import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type RouteHandler } from '../ports/http-route.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import { bearerToken, sameSecret } from '../ports/secrets.js';
import type { Engine } from '../core/engine.js';
import { callEvent, type CallEvent } from '../core/triage/call-events.js';
import type { EventRecorder } from './event-recorder.js';
import { IngestError } from './ingest-error.js';
import { parseNdjsonLines } from './ndjson-events.js';
import type { CallKeeper, CallOffer } from '../calls/call-keeper.js';

export interface IngestRouteOptions {
  readonly token: string;
  readonly maxBytes: number;
  readonly engine: Engine;
  readonly recorder: EventRecorder;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** RETENTION_DAYS: events older than this are refused (the store would prune them at once). */
  readonly retentionDays: number;
  /** Where the traces' judged calls go to be kept (src/calls/). */
  readonly keeper?: CallKeeper;
}

const MAX_REPORTED = 20;

/**
 * POST /ingest: a bearer token (INGEST_TOKEN), then either NDJSON call events (Content-Type
 * application/x-ndjson or application/json) or a SIP trace in any format the core reads (anything else).
 * Recorded with surface "http" under the same counting rules as pasted traces, and answered only once the
 * events are committed (503 with Retry-After when the store cannot take them).
 */
export function ingestRoute(o: IngestRouteOptions): RouteHandler {
  return async (req, res) => {
    // RFC 6750 §3: a missing or wrong token is 401 with a Bearer challenge. The body is not read.
    if (!sameSecret(bearerToken(req.headers.authorization), o.token)) {
      o.metrics.dropped('unauthorized');
      res.setHeader('www-authenticate', 'Bearer realm="siptriage", error="invalid_token"');
      refuse(res, 401, 'a valid bearer token is required');
      return;
    }
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > o.maxBytes) {
      tooLarge(o, res, declared);
      return;
    }
    const body = await readBody(req, o.maxBytes);
    if (body === undefined) {
      tooLarge(o, res, undefined);
      return;
    }
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    try {
      if (type.includes('ndjson') || type.includes('application/json')) await ndjson(o, res, body);
      else await trace(o, res, body, new URL(req.url ?? '/', 'http://x').searchParams.get('filename') ?? undefined);
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
      // Not acknowledged: 503 with Retry-After tells the sender to send the same events again.
      o.log.warn({ err }, 'ingest events not committed');
      res.setHeader('retry-after', '1');
      sendJson(res, 503, { error: err.message, code: err.code });
    }
  };
}

// Lines checked per turn of the event loop: a megabyte of junk lines must not hold /healthz (or Slack) up.
const LINES_PER_SLICE = 2_000;

async function ndjson(o: IngestRouteOptions, res: ServerResponse, body: Buffer): Promise<void> {
  const lines = body.toString('utf8').split('\n');
  const window = { now: Date.now(), retentionMs: o.retentionDays * 86_400_000 };
  const events: CallEvent[] = [];
  const errors: { line: number; error: string }[] = [];
  let refused = 0;
  for (let at = 0; at < lines.length; at += LINES_PER_SLICE) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const l of parseNdjsonLines(lines, at, Math.min(at + LINES_PER_SLICE, lines.length), window)) {
      if (l.ok) events.push(l.event);
      else if (++refused <= MAX_REPORTED) errors.push({ line: l.line, error: l.error });
    }
  }
  await o.recorder.recordDurable(events, 'http');
  if (refused > 0) o.metrics.dropped('malformed', refused);
  const status = events.length === 0 && refused > 0 ? 400 : 200;
  sendJson(res, status, { recorded: events.length, rejected: refused, errors });
}

async function trace(o: IngestRouteOptions, res: ServerResponse, body: Buffer, filename: string | undefined): Promise<void> {
  // Every call is counted as it is judged: a capture's report keeps only a few calls in full.
  const seenAt = Date.now();
  const events: CallEvent[] = [];
  const offers: CallOffer[] = [];
  const { report, totals } = o.engine.triageBytes(body, filename, {
    onCall: (r) => {
      const e = callEvent(r, seenAt);
      if (e === undefined) return;
      events.push(e);
      if (o.keeper !== undefined) offers.push({ callId: r.call.callId, messages: r.call.entries.map((x) => x.message), events: [e] });
    },
  });
  // The answer promises both: the counts and the evidence behind them. Either failing refuses the whole
  // body (503); sent again, the events and calls already stored are found as duplicates.
  const [, kept] = await Promise.all([o.recorder.recordDurable(events, 'http'), o.keeper?.keepDurable(offers, 'http')]);
  if (kept !== undefined && !kept.ok) throw new IngestError(kept.code === 'CALLS_BUSY' ? 'INGEST_STORE_BUSY' : 'INGEST_STORE_FAILED', kept.message);
  const problems = report.problems.slice(0, MAX_REPORTED).map((p) => ({ code: p.code, message: p.message, ...(p.line === undefined ? {} : { line: p.line }) }));
  // No SIP at all is the sender's mistake (422); a trace with some unreadable lines still counts.
  const messages = totals?.messages ?? report.entries.length;
  const status = messages === 0 ? 422 : 200;
  const keptCalls = kept === undefined ? {} : { kept: kept.kept, overCap: kept.overCap };
  sendJson(res, status, { format: report.format, messages, calls: totals?.calls ?? report.calls.length, recorded: events.length, ...keptCalls, problems });
}

function tooLarge(o: IngestRouteOptions, res: ServerResponse, size: number | undefined): void {
  o.metrics.dropped('too-large');
  refuse(res, 413, `the body is over the ${o.maxBytes}-byte limit (INGEST_MAX_BYTES)${size === undefined ? '' : `: ${size} bytes`}`);
}

// The unread rest of a refused body is not worth draining: close the connection after answering.
function refuse(res: ServerResponse, status: number, error: string): void {
  res.setHeader('connection', 'close');
  sendJson(res, status, { error });
}

/** The body, or undefined as soon as it passes `max` bytes (reading stops there). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
