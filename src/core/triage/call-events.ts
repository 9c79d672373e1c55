import { createHash } from 'node:crypto';
import type { Call } from './call.js';
import type { CallReport, TriageReport } from './triage.js';

/**
 * What the store keeps about one call: enough to count and chart failures, never the trace itself, phone
 * numbers or credentials. The counting rules live here, with the triage that defines them: a retransmission
 * or the same call pasted twice is one call (the Call-ID hash), an answered 401/407 is not a failure, a
 * CANCELled INVITE is counted apart from failures, and an unanswered request counts as a 408 (RFC 3261
 * §17.1.1.2: a client transaction timeout is reported to the TU as 408).
 */
export type CallEventKind = 'failure' | 'cancelled' | 'answered';

export interface CallEvent {
  /** Milliseconds since the epoch: the failing response's time when the trace has it, else when seen. */
  readonly time: number;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  /** Where the response came from: Via received/sent-by of the answered hop, or the packet source. */
  readonly peer: string | null;
  /** Server (or User-Agent) of the element that generated the response. */
  readonly product: string | null;
  readonly q850: number | null;
  readonly findings: readonly string[];
  /** sha256 of the Call-ID, truncated: the same call counts once however often it is seen. */
  readonly callIdHash: string;
}

export function hashCallId(callId: string): string {
  return createHash('sha256').update(callId).digest('hex').slice(0, 32);
}

export function callEvents(report: TriageReport, seenAt: number): CallEvent[] {
  const out: CallEvent[] = [];
  for (const r of report.calls) {
    const e = callEvent(r, seenAt);
    if (e !== undefined) out.push(e);
  }
  return out;
}

export function callEvent({ call, findings }: CallReport, seenAt: number): CallEvent | undefined {
  const kind = eventKind(call, findings.some((f) => f.id === 'transaction-timeout'));
  if (kind === undefined) return undefined;
  const attempt = call.attempts[call.attempts.length - 1];
  // The response nearest its origin names the peer that refused; for answered calls, the final 2xx.
  const response = kind === 'failure' ? (attempt?.firstFinal ?? call.final) : call.final;
  const request = attempt?.request ?? call.entries.find((e) => e.message.isRequest);
  const m = response?.message;
  const code = m?.status ?? 408;
  const q850 = m?.reasons.find((r) => r.protocol === 'Q.850')?.cause ?? null;
  return {
    time: m?.meta.time ?? request?.message.meta.time ?? seenAt,
    kind,
    code,
    method: call.method,
    peer: peerOf(response?.message ?? request?.message, response === undefined),
    product: m?.get('Server') ?? m?.get('User-Agent') ?? null,
    q850,
    findings: [...new Set(findings.filter((f) => f.severity !== 'info' || f.id === 'cancelled').map((f) => f.id))],
    callIdHash: hashCallId(call.callId),
  };
}

function eventKind(call: Call, timedOut: boolean): CallEventKind | undefined {
  switch (call.outcome) {
    case 'failed':
      return 'failure';
    case 'cancelled':
      return 'cancelled';
    case 'answered':
      return call.method === 'INVITE' ? 'answered' : undefined;
    case 'no-final':
      return timedOut ? 'failure' : undefined;
    default:
      return undefined;
  }
}

// A response's sender is the packet source when a capture tells us; otherwise the hop that answered is the one
// the request was sent to, which traces rarely name, so fall back to the request's destination or its URI host.
function peerOf(m: Call['entries'][number]['message'] | undefined, unanswered: boolean): string | null {
  if (m === undefined) return null;
  if (!unanswered && m.meta.src !== undefined) return m.meta.src.host;
  if (unanswered && m.meta.dst !== undefined) return m.meta.dst.host;
  if (m.isResponse) {
    const contact = m.contacts[0]?.uri?.host;
    if (contact !== undefined && contact !== '') return contact;
    return m.to?.uri?.host ?? null;
  }
  return m.uri === undefined ? null : (/@([^;:>]+)/.exec(m.uri)?.[1] ?? null);
}
