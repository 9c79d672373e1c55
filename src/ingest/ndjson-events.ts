import { z } from 'zod';
import { hashCallId, type CallEvent } from '../core/triage/call-events.js';

// RFC 3261 §25.1 token, for the method.
const METHOD = /^[A-Za-z0-9.!%*_+`'~-]{1,32}$/;

/**
 * One event line of an NDJSON body on POST /ingest: an outcome some other system already judged (a CDR
 * exporter, an SBC's event hook). `time` is milliseconds since the epoch or an ISO 8601 string; unknown keys
 * are ignored. Without `callId`, the line itself names the event, so posting it twice counts once.
 */
export const NdjsonEventSchema = z.object({
  time: z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true })]),
  code: z.number().int().min(200).max(699),
  method: z.string().regex(METHOD).default('INVITE'),
  peer: z.string().trim().min(1).max(255).nullable().default(null),
  kind: z.enum(['failure', 'cancelled', 'answered']).optional(),
  product: z.string().max(200).nullable().default(null),
  q850: z.number().int().min(0).max(127).nullable().default(null),
  callId: z.string().min(1).max(1024).optional(),
  findings: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/)).max(32).default([]),
});

export type NdjsonLine = { readonly ok: true; readonly event: CallEvent } | { readonly ok: false; readonly line: number; readonly error: string };

/** Validates each non-empty line; bad lines are reported by number, the good ones kept. */
export function parseNdjsonEvents(text: string): NdjsonLine[] {
  const out: NdjsonLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      out.push({ ok: false, line: i + 1, error: 'not JSON' });
      continue;
    }
    const parsed = NdjsonEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.push({ ok: false, line: i + 1, error: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}` });
      continue;
    }
    const e = parsed.data;
    const time = typeof e.time === 'number' ? (e.time < 1e11 ? e.time * 1000 : e.time) : Date.parse(e.time);
    out.push({
      ok: true,
      event: {
        time,
        kind: e.kind ?? (e.code < 300 ? 'answered' : 'failure'),
        code: e.code,
        method: e.method.toUpperCase(),
        peer: e.peer,
        product: e.product,
        q850: e.q850,
        findings: e.findings,
        callIdHash: hashCallId(e.callId ?? `ndjson:${raw}`),
      },
    });
  }
  return out;
}
