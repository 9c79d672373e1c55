import { z } from 'zod';
import { hashCallId, type CallEvent } from '../core/triage/call-events.js';

// RFC 3261 §25.1 token, for the method.
const METHOD = /^[A-Za-z0-9.!%*_+`'~-]{1,32}$/;
// Text that is shown in chat and stored: no control characters (NUL, C0, C1, DEL), no format characters
// (bidi overrides that reorder what a reader sees, zero-width joiners, BOM), no lone surrogates, no U+FFFD.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD]/u;
const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !UNPRINTABLE.test(s), 'control, bidi or other invisible characters are not accepted');

/** How far ahead of the service's clock an event may be stamped: clocks drift, events do not come from the future. */
export const MAX_FUTURE_MS = 5 * 60_000;

/**
 * One event line of an NDJSON body on POST /ingest: an outcome some other system already judged (a CDR
 * exporter, an SBC's event hook). `time` is milliseconds or seconds since the epoch, or an ISO 8601 string;
 * unknown keys are ignored. Without `callId`, the line itself names the event, so posting it twice counts once.
 */
export const NdjsonEventSchema = z.object({
  time: z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true })]),
  code: z.number().int().min(200).max(699),
  method: z.string().regex(METHOD).default('INVITE'),
  peer: printable(255).nullable().default(null),
  kind: z.enum(['failure', 'cancelled', 'answered']).optional(),
  product: printable(200).nullable().default(null),
  q850: z.number().int().min(0).max(127).nullable().default(null),
  callId: z.string().min(1).max(1024).optional(),
  findings: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/)).max(32).default([]),
});

export type NdjsonLine = { readonly ok: true; readonly event: CallEvent } | { readonly ok: false; readonly line: number; readonly error: string };

/** What a line is checked against beyond its shape: the window of times the store keeps. */
export interface NdjsonWindow {
  readonly now: number;
  /** RETENTION_DAYS in ms: older events would be pruned at once, so they are refused instead. */
  readonly retentionMs: number;
}

/** Validates each non-empty line; bad lines are reported by number, the good ones kept. */
export function parseNdjsonEvents(text: string, window: NdjsonWindow): NdjsonLine[] {
  const lines = text.split('\n');
  return parseNdjsonLines(lines, 0, lines.length, window);
}

/** The same for lines [from, to) of a body already split, so a caller can work through a large body in slices. */
export function parseNdjsonLines(lines: readonly string[], from: number, to: number, window: NdjsonWindow): NdjsonLine[] {
  const out: NdjsonLine[] = [];
  for (let i = from; i < to; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    const r = parseLine(raw, window);
    out.push(typeof r === 'string' ? { ok: false, line: i + 1, error: r } : { ok: true, event: r });
  }
  return out;
}

function parseLine(raw: string, window: NdjsonWindow): CallEvent | string {
  // Cheap refusal first: junk lines must not each cost a thrown exception (340,000 of them fit in 1 MB).
  if (raw.charCodeAt(0) !== 0x7b) return 'not a JSON object';
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return 'not JSON';
  }
  const parsed = NdjsonEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`;
  }
  const e = parsed.data;
  const time = typeof e.time === 'number' ? (e.time < 1e11 ? e.time * 1000 : e.time) : Date.parse(e.time);
  const earliest = window.now - window.retentionMs;
  const latest = window.now + MAX_FUTURE_MS;
  if (!(time >= earliest && time <= latest)) {
    return `time: outside what is kept, ${new Date(earliest).toISOString()} to ${new Date(latest).toISOString()} (RETENTION_DAYS back, 5 minutes ahead)`;
  }
  const kind = e.kind ?? (e.code < 300 ? 'answered' : 'failure');
  // An answered call has a 2xx final; a failure or a cancellation has a 3xx-6xx one (RFC 3261 §21).
  if ((kind === 'answered') !== (e.code < 300)) return `kind: "${kind}" does not go with code ${e.code}`;
  return {
    time,
    kind,
    code: e.code,
    method: e.method.toUpperCase(),
    peer: e.peer,
    product: e.product,
    q850: e.q850,
    findings: e.findings,
    callIdHash: hashCallId(e.callId ?? `ndjson:${raw}`),
  };
}
