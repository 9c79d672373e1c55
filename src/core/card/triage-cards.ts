import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { RtpStreamReport } from '../media/media-report.js';
import type { Call, TraceEntry } from '../triage/call.js';
import type { Evidence, Finding } from '../triage/finding.js';
import type { CallReport } from '../triage/triage.js';
import { toneForCode, type Card, type CardField, type CardFinding, type CardSection } from './card.js';
import { OWNER_SHORT, RETRY_LABEL } from './labels.js';

export const OUTCOME_TEXT: Readonly<Record<Call['outcome'], string>> = {
  answered: 'answered',
  failed: 'failed',
  cancelled: 'cancelled by the caller',
  challenged: 'stopped at an authentication challenge',
  redirected: 'redirected',
  'no-final': 'no final response',
};

/** "INVITE → 486 Busy Here (failed)", or "INVITE → 500 … (was 503 Service Unavailable downstream)". */
export function callLine(call: Call): string {
  const f = call.final?.message;
  const end = f === undefined ? 'no final response' : `${f.status ?? ''} ${f.reason ?? ''}`.trim();
  const root = rootFailure(call)?.message;
  const was = root !== undefined && root.status !== f?.status ? ` (was ${root.status ?? ''} ${root.reason ?? ''} downstream)` : '';
  // A final response read from a log line or attached by context is a guess the user should see as one.
  const inferred = f?.meta.inferred === undefined ? '' : `, inferred from line ${f.meta.inferred.line}`;
  return `${call.method || '?'} → ${end}${was.replace(/\s+\)/, ')')} (${OUTCOME_TEXT[call.outcome]}${inferred})`;
}

/**
 * The failure nearest its origin. A proxy that relays a downstream 503 answers 500 (RFC 3261 §16.7), so the
 * code worth explaining is the one the far side sent, not the one the caller saw.
 */
export function rootFailure(call: Call): TraceEntry | undefined {
  if (call.outcome !== 'failed') return undefined;
  return call.attempts[call.attempts.length - 1]?.firstFinal ?? call.failure;
}

export function evidenceLine(e: Evidence): string {
  // Message 0: a log line outside every message (a stated hangup cause).
  return `${e.message === 0 ? '' : `message #${e.message}, `}line ${e.line}${e.header === undefined ? '' : `, ${e.header}`}: ${e.text.length > 160 ? `${e.text.slice(0, 160)}…` : e.text}`;
}

export function cardFinding(f: Finding): CardFinding {
  return { severity: f.severity, title: f.title, detail: f.detail, evidence: f.evidence.map(evidenceLine) };
}

function durationText(call: Call): string | undefined {
  const times = call.entries.map((e) => e.message.meta.time).filter((t): t is number => t !== undefined);
  if (times.length < 2) return undefined;
  const ms = Math.max(...times) - Math.min(...times);
  return ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** At most this many streams listed on a card: chat limits, and a call rarely has more that matter. */
const MEDIA_LINES = 4;

/**
 * A short media section for a call from a capture: one line per RTP stream. Ports only, no addresses: cards
 * go to chat, where REDACT_ADDRESSES applies, and the findings already name the addresses (masked as set).
 */
export function mediaSection(streams: readonly RtpStreamReport[]): CardSection {
  if (streams.length === 0) return { title: 'Media', items: [], text: 'No RTP for this call in the capture.' };
  const items = streams.slice(0, MEDIA_LINES).map((m) => {
    const loss = m.expected > 0 ? ` (${((100 * Math.max(0, m.lost)) / m.expected).toFixed(1)} %)` : '';
    const mos = m.mos === undefined ? '' : `, MOS ≈ ${m.mos.mos.toFixed(1)} (E-model estimate)`;
    return `port ${m.srcPort} → ${m.dstPort} ${m.codec || `PT ${m.payloadType}`}: ${m.packets} packets, ${Math.max(0, m.lost)} lost${loss}, jitter max ${m.maxJitterMs.toFixed(1)} ms${mos}`;
  });
  if (streams.length > MEDIA_LINES) items.push(`… and ${streams.length - MEDIA_LINES} more stream${streams.length - MEDIA_LINES === 1 ? '' : 's'} (triage --json lists all)`);
  return { title: 'Media', items };
}

/**
 * One call (or several identical ones): what is specific to it, its final response, its findings with their
 * evidence and its media, and a button to the generic card of the code that ended it instead of that card's
 * text (which the summary and every other call would otherwise repeat).
 */
export function triageCallCard(kb: KnowledgeBase, report: CallReport, media?: readonly RtpStreamReport[], callIds: readonly string[] = [report.call.callId]): Card {
  const { call, findings } = report;
  const status = rootFailure(call)?.message.status ?? call.final?.message.status;
  const ended = status !== undefined && call.outcome !== 'answered' && call.outcome !== 'cancelled';
  const entry = status === undefined ? undefined : kb.code(status);
  const unregistered = status === undefined || entry !== undefined ? undefined : kb.unregistered(status);
  const duration = durationText(call);
  const same = callIds.length;
  const fields: CardField[] = [
    { label: same > 1 ? `Call-IDs (${same})` : 'Call-ID', value: idList(callIds), inline: true },
    { label: 'Outcome', value: OUTCOME_TEXT[call.outcome], inline: true },
    { label: 'Messages', value: String(call.entries.length), inline: true },
    ...(duration === undefined ? [] : [{ label: 'Duration', value: duration, inline: true }]),
    ...(ended && entry !== undefined ? [{ label: 'Who fixes it', value: entry.owners.map((o) => OWNER_SHORT[o]).join(', '), inline: true }] : []),
    ...(ended && entry?.retry !== undefined ? [{ label: 'Retry', value: RETRY_LABEL[entry.retry.verdict], inline: true }] : []),
  ];
  const generic = entry?.summary ?? unregistered?.meaning;
  return {
    kind: 'triage-call',
    title: `${callLine(call)}${same > 1 ? ` ×${same}` : ''}`,
    summary: ended && generic !== undefined ? generic : call.outcome === 'answered' ? 'The call was answered.' : OUTCOME_TEXT[call.outcome],
    tone: status === undefined ? 'warning' : call.outcome === 'cancelled' ? 'neutral' : toneForCode(status),
    ...(status === undefined ? {} : { code: status }),
    ...(entry === undefined ? {} : { reason: entry.reason }),
    fields,
    findings: findings.map(cardFinding),
    sections: media === undefined ? [] : [mediaSection(media)],
    links: [],
    ...(ended && status >= 300 ? { actions: [{ label: `What ${status} means`, query: String(status) }] } : {}),
    ...(same > 1 ? { footer: `${same} calls went exactly this way (same messages, same ending, same findings); one card stands for them.` } : {}),
  };
}

function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).map((id) => id || '(none)');
  return ids.length > 3 ? `${shown.join(', ')} and ${ids.length - 3} more` : shown.join(', ');
}

/** Identical calls (same flow of messages, same ending, same findings) as one entry with every Call-ID. */
export function collapseCalls(calls: readonly CallReport[]): { readonly report: CallReport; readonly callIds: string[] }[] {
  const out = new Map<string, { report: CallReport; callIds: string[] }>();
  for (const c of calls) {
    const key = [
      c.call.method,
      c.call.outcome,
      c.call.entries.map((e) => `${e.message.method ?? e.message.status ?? ''}${e.retransmission ? '*' : ''}`).join(','),
      c.findings.map((f) => `${f.id}:${f.title}`).join('|'),
    ].join('\u0000');
    const had = out.get(key);
    if (had === undefined) out.set(key, { report: c, callIds: [c.call.callId] });
    else had.callIds.push(c.call.callId);
  }
  return [...out.values()];
}

/** Whether a call gets a card of its own: it did not simply succeed. */
export function shownInDetail(c: CallReport): boolean {
  return c.call.outcome !== 'answered' || c.findings.some((f) => f.severity !== 'info');
}

