import type { InferredFrom, SipMessage } from '../../sip/message.js';
import { parseSipMessage } from '../../sip/parse-message.js';
import type { LogEvidence } from './log-evidence.js';
import type { ReasonPhrases } from './reason-phrases.js';

/**
 * Turns what a paste states but does not print into messages the triage can group, never inventing a call:
 * - a response with no Call-ID of its own (the window ends at its status line) joins the one call in view,
 *   and only when exactly one candidate fits;
 * - a log line's failing code (log-evidence.ts) becomes a response of the call it names (by Call-ID, by
 *   CSeq number, or as the only call in view), or a call of its own labelled by its line.
 * Everything built here carries `meta.inferred`, which the report shows as "inferred from line N".
 */
export function inferFromContext(
  messages: readonly SipMessage[],
  evidence: readonly LogEvidence[],
  namedCallIds: readonly string[],
  phrases: ReasonPhrases,
  /** The paste's last non-blank line (1-based): a message ending there may have been cut mid-header. */
  lastLine = 0,
): SipMessage[] {
  messages = completeCutCallIds(messages, namedCallIds, lastLine);
  const ids = new Set<string>();
  for (const m of messages) if (m.callId !== '') ids.add(m.callId);
  const candidates = new Set(ids);
  for (const id of namedCallIds) candidates.add(id);
  const only = candidates.size === 1 ? [...candidates][0] : undefined;

  // A status line printed inside a log line that also names the call ("Aborting call on unexpected message
  // for Call-Id '…': … received 'SIP/2.0 407 …'") is read from the line as evidence instead.
  const stated = new Set(evidence.map((e) => `${e.line}\u0000${e.code}`));
  const kept = messages.filter((m) => !(m.callId === '' && m.status !== undefined && stated.has(`${m.line}\u0000${m.status}`)));
  const out = kept.map((m) => {
    if (m.callId !== '' || only === undefined) return m;
    return withHeaders(m, only, { line: m.line, text: m.raw.split(/\r?\n/, 1)[0] ?? '', basis: 'the only call in view' }) ?? m;
  });

  for (const ev of pickEvidence(out, evidence)) {
    // The one call in view takes evidence only of its own method: a line about an INVITE next to a REGISTER
    // flow is another dialog (a re-INVITE, a second call), not this one.
    const onlyFits = only !== undefined && (ev.method === undefined || callMethod(out, only) === undefined || callMethod(out, only) === ev.method);
    const target = ev.callId ?? bySeq(out, ev.cseq) ?? (onlyFits ? only : undefined);
    const basis =
      ev.callId !== undefined ? 'the Call-ID on that line' : target === undefined ? 'no call in view' : target === only ? 'the only call in view' : 'its CSeq number';
    const callId = target ?? `log line ${ev.line}`;
    const inCall = target !== undefined && ids.has(target);
    const method = ev.method ?? (inCall ? callMethod(out, target) : undefined) ?? 'INVITE';
    // In a call that is in view, a response with no CSeq joins its latest request (group-calls.ts); one
    // whose method the line names differently is kept apart with its own CSeq so it cannot pose as that.
    const sameMethod = inCall && (ev.method === undefined || ev.method === callMethod(out, target));
    const latest = sameMethod ? latestSeq(out, target, method) : undefined;
    const cseq = ev.cseq !== undefined ? `${ev.cseq} ${method}` : latest !== undefined ? `${latest} ${method}` : sameMethod ? undefined : `1 ${method}`;
    const reason = phrases.reasonOf(ev.code) ?? '';
    const text = `SIP/2.0 ${ev.code} ${reason}\r\nCall-ID: ${callId}\r\n${cseq === undefined ? '' : `CSeq: ${cseq}\r\n`}\r\n`;
    const parsed = parseSipMessage(text, { lineOffset: ev.line - 1, meta: { format: 'log-evidence', inferred: { line: ev.line, text: ev.text, basis, statesFailure: ev.statesFailure } } });
    if (parsed.ok) out.push(parsed.message);
  }
  return out;
}

// A paste that ends inside a message's Call-ID ("…@0.0.", its last line) leaves a prefix of the Call-ID another
// line prints whole: that message belongs to the one call whose Call-ID the cut one begins, when exactly one does.
function completeCutCallIds(messages: readonly SipMessage[], namedCallIds: readonly string[], lastLine: number): readonly SipMessage[] {
  const all = new Set(namedCallIds);
  for (const m of messages) if (m.callId !== '') all.add(m.callId);
  let out: SipMessage[] | undefined;
  messages.forEach((m, i) => {
    const cut = m.callId;
    const text = m.raw.trimEnd();
    if (cut.length < 6 || !text.endsWith(cut) || m.line + text.split('\n').length - 1 !== lastLine) return;
    const whole = [...all].filter((id) => id.length > cut.length && id.startsWith(cut));
    if (whole.length !== 1 || whole[0] === undefined) return;
    const head = text.slice(0, -cut.length);
    const parsed = parseSipMessage(`${head}${whole[0]}\r\n\r\n`, {
      lineOffset: m.line - 1,
      meta: { ...m.meta, inferred: { line: m.line, text: m.raw.split(/\r?\n/, 1)[0] ?? '', basis: 'its Call-ID, cut off by the end of the paste' } },
    });
    if (!parsed.ok) return;
    out ??= [...messages];
    out[i] = parsed.message;
  });
  return out ?? messages;
}

// One piece of evidence per code and call; nothing a printed response already shows.
function pickEvidence(messages: readonly SipMessage[], evidence: readonly LogEvidence[]): LogEvidence[] {
  const shown = new Set<number>();
  for (const m of messages) if (m.status !== undefined && m.status >= 200 && m.callId !== '') shown.add(m.status);
  const withId = new Set(evidence.filter((e) => e.callId !== undefined).map((e) => e.code));
  const seen = new Set<string>();
  const out: LogEvidence[] = [];
  for (const e of evidence) {
    if (shown.has(e.code)) continue;
    if (e.callId === undefined && withId.has(e.code)) continue;
    const key = `${e.code}\u0000${e.callId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

function bySeq(messages: readonly SipMessage[], seq: number | undefined): string | undefined {
  if (seq === undefined) return undefined;
  const ids = new Set(messages.filter((m) => m.callId !== '' && m.cseq?.seq === seq).map((m) => m.callId));
  return ids.size === 1 ? [...ids][0] : undefined;
}

// The CSeq number of the call's latest request (or response) of that method, so evidence joins that attempt.
function latestSeq(messages: readonly SipMessage[], callId: string, method: string): number | undefined {
  let seq: number | undefined;
  for (const m of messages) if (m.callId === callId && m.cseq?.method === method) seq = Math.max(seq ?? 0, m.cseq.seq);
  return seq;
}

function callMethod(messages: readonly SipMessage[], callId: string): string | undefined {
  for (const m of messages) {
    if (m.callId !== callId) continue;
    const method = m.method ?? m.cseq?.method;
    if (method !== undefined && method !== 'ACK' && method !== 'CANCEL') return method;
  }
  return undefined;
}

// Re-reads a message with the Call-ID it lacks, added right after its start line.
function withHeaders(m: SipMessage, callId: string, inferred: InferredFrom): SipMessage | undefined {
  const raw = m.raw;
  const eol = raw.indexOf('\n');
  const text = eol === -1 ? `${raw}\r\nCall-ID: ${callId}\r\n\r\n` : `${raw.slice(0, eol + 1)}Call-ID: ${callId}\r\n${raw.slice(eol + 1)}`;
  const parsed = parseSipMessage(text, { lineOffset: m.line - 1, meta: { ...m.meta, inferred } });
  return parsed.ok ? parsed.message : undefined;
}
