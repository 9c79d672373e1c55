import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { callMedia, type RtpStreamReport } from '../media/media-report.js';
import type { Call, TraceEntry } from '../triage/call.js';
import type { Evidence, Finding } from '../triage/finding.js';
import type { TriageTotals } from '../triage/bounded-report.js';
import type { LegGroup } from '../triage/join-legs.js';
import { OUTCOME_RANK, type CallReport, type TriageReport } from '../triage/triage.js';
import { toneForCode, type Card, type CardFinding, type CardSection, type Tone } from './card.js';
import { codeCard, unregisteredCard } from './code-card.js';

const OUTCOME_TEXT: Readonly<Record<Call['outcome'], string>> = {
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
  return `message #${e.message}, line ${e.line}${e.header === undefined ? '' : `, ${e.header}`}: ${e.text.length > 160 ? `${e.text.slice(0, 160)}…` : e.text}`;
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

/**
 * The short answer posted first: how many calls, how each ended, the findings that matter most. With
 * `totals` (a capture of which only some calls were kept), the counts are of every call, the kept ones are
 * listed, and the rest are summed by how they ended.
 */
export function triageSummaryCard(report: TriageReport, totals?: TriageTotals): Card {
  const calls = [...report.calls].sort((a, b) => OUTCOME_RANK[a.call.outcome] - OUTCOME_RANK[b.call.outcome]);
  const failedKept = calls.filter((c) => c.call.outcome === 'failed' || c.call.outcome === 'no-final');
  const messages = totals?.messages ?? report.entries.length;
  const retransmissions = totals?.retransmissions ?? report.entries.filter((e) => e.retransmission).length;
  const callCount = totals?.calls ?? calls.length;
  const failedCount = totals === undefined ? failedKept.length : totals.outcomes.failed + totals.outcomes['no-final'];
  const worst = failedKept[0]?.call.final?.message.status;
  const tone: Tone = messages === 0 ? 'neutral' : worst !== undefined ? toneForCode(worst) : failedCount > 0 ? 'warning' : 'success';
  const top = calls
    .flatMap((c) => c.findings.filter((f) => f.severity !== 'info' || f.id === 'origin' || f.id === 'cancelled'))
    .sort((a, b) => severityRank(a) - severityRank(b))
    .slice(0, 5);
  const unlisted = callCount - calls.length;
  const sections: CardSection[] = [
    {
      title: `Calls (${callCount})`,
      items: [
        ...calls.map((c) => `${callLine(c.call)}: Call-ID ${c.call.callId || '(none)'}`),
        ...(unlisted > 0 ? [`… and ${unlisted} more calls, counted below but not listed one by one`] : []),
      ],
    },
  ];
  for (const g of report.legs ?? []) sections.push(legsSection(report, g));
  const repairs = report.repairs ?? [];
  if (repairs.length > 0) {
    // Brief: the user sees that the paste was read with guesses, and where; --json lists every one.
    const joined = repairs.filter((r) => r.what === 'joined-wrapped-line').map((r) => r.line);
    const spaced = repairs.filter((r) => r.what === 'removed-doubled-spacing').map((r) => r.line);
    const split = repairs.filter((r) => r.what === 'split-escaped-line-breaks').map((r) => r.line);
    sections.push({
      title: 'Repaired before reading',
      items: [
        ...(joined.length === 0 ? [] : [`joined ${joined.length} wrapped line${joined.length === 1 ? '' : 's'} (line ${lineList(joined)})`]),
        ...(spaced.length === 0 ? [] : [`removed doubled line spacing (${spaced.length} blank line${spaced.length === 1 ? '' : 's'}, from line ${spaced[0] ?? ''})`]),
        ...(split.length === 0 ? [] : [`split escaped line breaks (#015#012 or \\r\\n) into lines (line ${lineList(split)})`]),
      ],
    });
  }
  if (totals !== undefined && unlisted > 0) sections.push({ title: 'How every call ended', items: endingLines(totals) });
  if (report.problems.length > 0) {
    sections.push({
      title: 'Could not read',
      items: report.problems.map((p) => (p.line === undefined ? p.message : `line ${p.line}: ${p.message}`)),
    });
  }
  return {
    kind: 'triage-summary',
    title:
      messages === 0
        ? 'No SIP messages found'
        : `SIP trace: ${callCount} call${callCount === 1 ? '' : 's'}, ${failedCount} failed`,
    summary:
      messages === 0
        ? (report.problems[0]?.message ?? 'Nothing to triage.')
        : `${legVerdicts(report)}${messages} message${messages === 1 ? '' : 's'}${retransmissions > 0 ? ` (${retransmissions} retransmitted)` : ''} read as ${report.format}.`,
    tone,
    fields: [],
    sections,
    findings: top.map(cardFinding),
    links: [],
    ...(messages === 0 ? { isError: true } : {}),
  };
}

// The verdict of a call through a B2BUA is the answer people want first: it leads the summary.
function legVerdicts(report: TriageReport): string {
  const verdicts = (report.legs ?? []).flatMap((g) => g.verdict ?? []);
  return verdicts.length === 0 ? '' : `${verdicts.slice(0, 2).join(' ')} `;
}

/** One call through a B2BUA: which leg failed first, then each leg as the Calls list shows it. */
function legsSection(report: TriageReport, g: LegGroup): CardSection {
  const legs = g.callIds.map((id, i) => {
    const c = report.calls.find((r) => r.call.callId === id)?.call;
    return `${String.fromCharCode(65 + Math.min(i, 25))} leg: ${c === undefined ? '?' : callLine(c)}: Call-ID ${id}`;
  });
  return { title: `One call, ${g.callIds.length} legs`, items: [...(g.verdict === undefined ? [] : [g.verdict]), ...legs] };
}

function lineList(lines: readonly number[]): string {
  return lines.length <= 3 ? lines.join(', ') : `${lines.slice(0, 3).join(', ')} and ${lines.length - 3} more`;
}

/** "1200 × INVITE → 486 Busy Here (failed)", most telling first, then what the list leaves out. */
function endingLines(totals: TriageTotals): string[] {
  const lines = totals.endings.map((e) => `${e.calls} × ${e.method || '?'} → ${e.code === null ? 'no final response' : `${e.code} ${e.reason}`.trim()} (${OUTCOME_TEXT[e.outcome]})`);
  if (totals.otherEndings > 0) lines.push(`${totals.otherEndings} × other endings`);
  const found = totals.findings.filter((f) => f.severity !== 'info').map((f) => `${f.calls} × finding: ${f.title}`);
  return [...lines, ...found.slice(0, 10)];
}

function severityRank(f: Finding): number {
  return f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2;
}

/** One call in full: its findings on top, then the remediation card of the code that ended it. */
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

export function triageCallCard(kb: KnowledgeBase, report: CallReport, media?: readonly RtpStreamReport[]): Card {
  const { call, findings } = report;
  const status = rootFailure(call)?.message.status ?? call.final?.message.status;
  const entry = status === undefined ? undefined : kb.code(status);
  const remediation =
    status === undefined || call.outcome === 'answered' || call.outcome === 'cancelled'
      ? undefined
      : entry === undefined
        ? unregisteredCard(kb, status, kb.unregistered(status))
        : codeCard(kb, entry);
  const duration = durationText(call);
  const fields = [
    { label: 'Call-ID', value: call.callId || '(none)', inline: true },
    { label: 'Outcome', value: OUTCOME_TEXT[call.outcome], inline: true },
    { label: 'Messages', value: String(call.entries.length), inline: true },
    ...(duration === undefined ? [] : [{ label: 'Duration', value: duration, inline: true }]),
    ...(remediation === undefined ? [] : remediation.fields.filter((f) => f.label === 'Who fixes it' || f.label === 'Retry')),
  ];
  return {
    kind: 'triage-call',
    title: callLine(call),
    summary: remediation?.summary ?? (call.outcome === 'answered' ? 'The call was answered.' : OUTCOME_TEXT[call.outcome]),
    tone: status === undefined ? 'warning' : call.outcome === 'cancelled' ? 'neutral' : toneForCode(status),
    ...(status === undefined ? {} : { code: status }),
    ...(entry === undefined ? {} : { reason: entry.reason }),
    fields,
    findings: findings.map(cardFinding),
    sections: [...(media === undefined ? [] : [mediaSection(media)]), ...(remediation?.sections.filter((s) => s.title !== 'Also sent as') ?? [])],
    links: remediation?.links ?? [],
    ...(remediation?.footer === undefined ? {} : { footer: remediation.footer }),
  };
}

/** Whether a call gets a card of its own: it did not simply succeed. */
export function shownInDetail(c: CallReport): boolean {
  return c.call.outcome !== 'answered' || c.findings.some((f) => f.severity !== 'info');
}

/** Cards for the whole report: the summary, then each call that did not simply succeed, failing first. */
export function triageCards(kb: KnowledgeBase, report: TriageReport, totals?: TriageTotals): { summary: Card; calls: Card[] } {
  const interesting = [...report.calls]
    .filter(shownInDetail)
    .sort((a, b) => OUTCOME_RANK[a.call.outcome] - OUTCOME_RANK[b.call.outcome]);
  return { summary: triageSummaryCard(report, totals), calls: interesting.map((c) => triageCallCard(kb, c, report.media === undefined ? undefined : callMedia(report.media, c.call.callId))) };
}
