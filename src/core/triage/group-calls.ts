import type { SipMessage } from '../sip/message.js';
import type { Attempt, Call, Outcome, TraceEntry, Transaction } from './call.js';

/**
 * Marks retransmissions: the same start line, Call-ID, CSeq, top Via branch and tags as an earlier message
 * (RFC 3261 §17.1.1.2, §17.2.1). A call pasted twice is caught by the same rule.
 */
export function markRetransmissions(messages: readonly SipMessage[]): TraceEntry[] {
  const seen = new Set<string>();
  return messages.map((message, i) => {
    const key = retransmissionKey(message);
    const retransmission = seen.has(key);
    seen.add(key);
    return { index: i + 1, message, retransmission };
  });
}

/** What a retransmission repeats of the message it repeats; equal keys mean the same message sent again. */
export function retransmissionKey(message: SipMessage): string {
  // Raw header values, not parsed ones: a retransmission repeats them byte for byte, and parsing every
  // From/To/Via here would cost more than the whole comparison.
  return [
    message.method ?? message.status,
    message.uri ?? '',
    message.callId,
    message.get('CSeq') ?? '',
    message.get('Via') ?? '',
    message.get('From') ?? '',
    message.get('To') ?? '',
  ].join('\u0000');
}

/** Groups a trace into calls by Call-ID, in order of first appearance. */
export function groupCalls(entries: readonly TraceEntry[]): Call[] {
  const byCallId = new Map<string, TraceEntry[]>();
  for (const e of entries) {
    const id = e.message.callId;
    let list = byCallId.get(id);
    if (list === undefined) byCallId.set(id, (list = []));
    list.push(e);
  }
  return [...byCallId].map(([callId, list]) => buildCall(callId, list));
}

function transactionKey(m: SipMessage): string {
  const cseq = m.cseq;
  const method = cseq?.method ?? m.method ?? '';
  // RFC 2543 peers send no magic-cookie branch; fall back to CSeq so their transactions still group.
  const branch = m.topVia?.branch;
  return `${branch === undefined || branch === '' ? `cseq:${cseq?.seq ?? '?'}` : branch}|${method}`;
}

interface MutableTransaction {
  key: string;
  method: string;
  seq: number;
  requests: TraceEntry[];
  responses: TraceEntry[];
  final: TraceEntry | undefined;
}

function buildCall(callId: string, entries: readonly TraceEntry[]): Call {
  const transactions = new Map<string, MutableTransaction>();
  let lastRequest: MutableTransaction | undefined;
  for (const e of entries) {
    // A response whose CSeq the paste cut off answers the latest request before it (a truncated window).
    const orphan = e.message.isResponse && e.message.cseq === undefined && lastRequest !== undefined;
    const key = orphan && lastRequest !== undefined ? lastRequest.key : transactionKey(e.message);
    let t = transactions.get(key);
    if (t === undefined) {
      t = { key, method: e.message.cseq?.method ?? e.message.method ?? '', seq: e.message.cseq?.seq ?? -1, requests: [], responses: [], final: undefined };
      transactions.set(key, t);
    }
    if (e.message.isRequest) {
      t.requests.push(e);
      if (e.message.method !== 'ACK') lastRequest = t;
    }
    else {
      t.responses.push(e);
      if (t.final === undefined && !e.retransmission && (e.message.status ?? 0) >= 200) t.final = e;
    }
  }
  const list: Transaction[] = [...transactions.values()];
  const method = initialMethod(entries);
  const attempts = buildAttempts(list, method);
  const { outcome, final, failure } = decideOutcome(attempts, list, method);
  return { callId, entries, transactions: list, method, attempts, outcome, final, failure };
}

// The dialog- or registration-forming request: the first request that is not ACK or CANCEL, or, in a paste
// of responses only, the CSeq method of the first response.
function initialMethod(entries: readonly TraceEntry[]): string {
  for (const e of entries) {
    const m = e.message.method;
    if (m !== undefined && m !== 'ACK' && m !== 'CANCEL' && e.message.toTag === undefined) return m;
  }
  for (const e of entries) {
    const m = e.message.cseq?.method;
    if (m !== undefined && m !== 'ACK' && m !== 'CANCEL') return m;
  }
  return entries[0]?.message.method ?? entries[0]?.message.cseq?.method ?? '';
}

function buildAttempts(transactions: readonly Transaction[], method: string): Attempt[] {
  const bySeq = new Map<number, Transaction[]>();
  for (const t of transactions) {
    if (t.method !== method) continue;
    // In-dialog requests (re-INVITE, refreshing REGISTER with a To-tag is fine) are not new attempts.
    const first = t.requests[0]?.message;
    if (method === 'INVITE' && first !== undefined && first.toTag !== undefined) continue;
    let list = bySeq.get(t.seq);
    if (list === undefined) bySeq.set(t.seq, (list = []));
    list.push(t);
  }
  return [...bySeq.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([seq, ts]) => {
      const finals = ts.flatMap((t) => (t.final === undefined ? [] : [t.final])).sort((a, b) => a.index - b.index);
      const requests = ts.flatMap((t) => t.requests).sort((a, b) => a.index - b.index);
      return {
        seq,
        transactions: ts,
        final: finals[finals.length - 1],
        firstFinal: finals[0],
        request: requests[0],
        hasCredentials: requests.some((r) => r.message.has('Authorization') || r.message.has('Proxy-Authorization')),
      };
    });
}

function decideOutcome(
  attempts: readonly Attempt[],
  transactions: readonly Transaction[],
  method: string,
): { outcome: Outcome; final: TraceEntry | undefined; failure: TraceEntry | undefined } {
  // The last attempt that got any final response decides; a later attempt with none is still pending.
  const last = attempts[attempts.length - 1];
  if (last === undefined) return { outcome: 'no-final', final: undefined, failure: undefined };
  const final = last.final;
  if (final === undefined) {
    return { outcome: 'no-final', final: undefined, failure: undefined };
  }
  const status = final.message.status ?? 0;
  if (status < 300) return { outcome: 'answered', final, failure: undefined };
  if (status < 400) return { outcome: 'redirected', final, failure: undefined };
  if ((status === 401 || status === 407) && !last.hasCredentials && final.message.meta.inferred?.statesFailure !== true) {
    return { outcome: 'challenged', final, failure: undefined };
  }
  if (status === 487 && method === 'INVITE' && transactions.some((t) => t.method === 'CANCEL' && t.seq === last.seq)) {
    return { outcome: 'cancelled', final, failure: undefined };
  }
  return { outcome: 'failed', final, failure: final };
}
