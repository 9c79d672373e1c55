import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { callMedia } from '../media/media-report.js';
import type { RedactOptions } from '../redact.js';
import type { TriageTotals } from '../triage/bounded-report.js';
import type { Outcome } from '../triage/call.js';
import type { Finding } from '../triage/finding.js';
import type { CallReport, TriageReport } from '../triage/triage.js';
import { codeAnswer } from './code-answer.js';
import { toneForCode, type Card, type CardAction, type CardFinding, type CardSection, type Tone } from './card.js';
import { findLegs, groupFailures, groupLine, groupRank, isFailure, type FailureGroup, type Legs } from './failure-groups.js';
import type { LegGroup } from '../triage/join-legs.js';
import { callLine, cardFinding, collapseCalls, OUTCOME_TEXT, shownInDetail, triageCallCard } from './triage-cards.js';

/** Findings on the summary: each once, with how many calls it was found in. */
const SUMMARY_FINDINGS = 4;
/** Code-card buttons under a summary: the worst few distinct codes. */
const CODE_BUTTONS = 3;

/**
 * The short answer posted first, ranked by what matters: the line under the header (also the notification
 * text) is the verdict, the worst failure group with who sent it and why; then every failure group with a
 * count, server-side first; calls that did not fail folded into one line; the parser's account of what it read
 * in the footer. With `totals` (a capture of which only some calls were kept), the counts are of every call.
 */
export function triageSummaryCard(kb: KnowledgeBase, report: TriageReport, totals?: TriageTotals, redact?: RedactOptions): Card {
  const legs = findLegs(kb, report.calls, report.legs);
  const calls = report.calls.filter((c) => !legs.folded.has(c));
  const groups = groupFailures(kb, report.calls, redact, legs);
  const messages = totals?.messages ?? report.entries.length;
  const retransmissions = totals?.retransmissions ?? report.entries.filter((e) => e.retransmission).length;
  const callCount = totals?.calls ?? calls.length;
  const failedCount = totals === undefined ? calls.filter(isFailure).length : totals.outcomes.failed + totals.outcomes['no-final'];
  const unlisted = totals === undefined ? 0 : totals.calls - report.calls.length;
  const sampled = totals !== undefined && unlisted > 0;
  const lines = sampled ? endingLines(totals) : groups.map((g) => groupLine(g, callCount > 1));
  // A call through a B2BUA joined by its legs' shared key has its verdict said in words (join-legs.ts): it leads.
  const legVerdicts = (report.legs ?? []).flatMap((g) => g.verdict ?? []).slice(0, 2);
  const verdict =
    messages === 0
      ? (report.problems[0]?.message ?? 'Nothing to triage.')
      : legVerdicts.length > 0
        ? legVerdicts.join(' ')
        : verdictLine(groups, failedCount, callCount, sampled ? totals : undefined, calls);
  const sections: CardSection[] = [];
  if (lines.length > 0) sections.push({ title: `Failed (${failedCount} of ${callCount} call${callCount === 1 ? '' : 's'})`, items: lines });
  for (const g of report.legs ?? []) sections.push(legsSection(report, g));
  const actions = messages === 0 ? [] : codeActions(groups, sampled ? totals : undefined);
  // What to do about the worst failure, as /sip CODE says it first: the verdict and the next two minutes on
  // one screen, the rest of the code's answer one button away.
  const doNow = actions[0] === undefined ? undefined : doNowSection(kb, Number(actions[0].query));
  if (doNow !== undefined) sections.push(doNow);
  const rest = otherCalls(calls, totals);
  if (rest !== undefined) sections.push({ title: 'Other calls', items: [rest] });
  const repaired = repairSection(report);
  if (repaired !== undefined) sections.push(repaired);
  if (report.problems.length > 0 && messages > 0) {
    sections.push({ title: 'Could not read', items: report.problems.map((p) => (p.line === undefined ? p.message : `line ${p.line}: ${p.message}`)) });
  }
  const folded = legs.folded.size;
  const read =
    messages === 0
      ? undefined
      : `${messages} message${messages === 1 ? '' : 's'}${retransmissions > 0 ? ` (${retransmissions} retransmitted)` : ''} read as ${report.format}` +
        `${folded > 0 ? `; ${folded} B2BUA leg${folded === 1 ? '' : 's'} counted with the call ${folded === 1 ? 'it' : 'they'} passed on` : ''}` +
        `${sampled ? `; ${report.calls.length} calls kept in detail` : ''}.`;
  return {
    kind: 'triage-summary',
    title: messages === 0 ? 'No SIP messages found' : `SIP trace: ${callCount} call${callCount === 1 ? '' : 's'}, ${failedCount} failed`,
    summary: verdict,
    tone: messages === 0 ? 'neutral' : summaryTone(groups, failedCount, sampled ? totals : undefined),
    fields: [],
    sections,
    findings: summaryFindings(report.calls, legs),
    links: [],
    ...(messages === 0 ? {} : { actions }),
    ...(read === undefined ? {} : { footer: read }),
    ...(messages === 0 ? { isError: true } : {}),
  };
}

/** One call through a B2BUA: which leg failed first, then each leg. */
function legsSection(report: TriageReport, g: LegGroup): CardSection {
  const legs = g.callIds.map((id, i) => {
    const c = report.calls.find((r) => r.call.callId === id)?.call;
    return `${String.fromCharCode(65 + Math.min(i, 25))} leg: ${c === undefined ? '?' : callLine(c)}: Call-ID ${id}`;
  });
  return { title: `One call, ${g.callIds.length} legs`, items: [...(g.verdict === undefined ? [] : [g.verdict]), ...legs] };
}

function verdictLine(groups: readonly FailureGroup[], failed: number, total: number, totals: TriageTotals | undefined, calls: readonly CallReport[]): string {
  if (failed === 0) {
    const rest = otherCalls(calls, totals);
    return total === 1 ? `The call ended without a failure: ${rest ?? 'answered'}.` : `No call failed: ${rest ?? `${total} calls`}.`;
  }
  if (totals !== undefined) {
    const worst = worstEnding(totals);
    return worst === undefined ? `${failed} of ${total} calls failed.` : `${failed} of ${total} calls failed; worst: ${worst}.`;
  }
  const [worst, ...others] = groups;
  if (worst === undefined) return `${failed} call${failed === 1 ? '' : 's'} failed.`;
  const more = others.reduce((n, g) => n + g.calls.length, 0);
  return `${groupLine(worst, failed > 1 || total > 1)}${more === 0 ? '' : ` · and ${more} more failed call${more === 1 ? '' : 's'} below`}`;
}

// A 5xx is headed as a 5xx: the colour is the worst failure's class, not "something failed" yellow.
function summaryTone(groups: readonly FailureGroup[], failed: number, totals: TriageTotals | undefined): Tone {
  if (failed === 0) return 'success';
  const codes = totals !== undefined ? totals.endings.filter((e) => e.outcome === 'failed').map((e) => e.code ?? undefined) : groups.map((g) => g.code);
  const worst = [...codes].sort((a, b) => groupRank(a) - groupRank(b))[0];
  return worst === undefined ? 'warning' : toneForCode(worst);
}

function worstEnding(totals: TriageTotals): string | undefined {
  const failing = totals.endings.filter((e) => e.outcome === 'failed' || e.outcome === 'no-final');
  const worst = [...failing].sort((a, b) => groupRank(a.code ?? undefined) - groupRank(b.code ?? undefined) || b.calls - a.calls)[0];
  if (worst === undefined) return undefined;
  return `${worst.calls} × ${worst.method || '?'} → ${worst.code === null ? 'no final response' : `${worst.code} ${worst.reason}`.trim()}`;
}

/** "1200 × INVITE → 486 Busy Here", failures ranked server-side first, then what the list leaves out. */
function endingLines(totals: TriageTotals): string[] {
  const failing = totals.endings
    .filter((e) => e.outcome === 'failed' || e.outcome === 'no-final')
    .sort((a, b) => groupRank(a.code ?? undefined) - groupRank(b.code ?? undefined) || b.calls - a.calls);
  const lines = failing.map((e) => `${e.calls} × ${e.method || '?'} → ${e.code === null ? 'no final response' : `${e.code} ${e.reason}`.trim()}`);
  if (totals.otherEndings > 0) lines.push(`${totals.otherEndings} × other endings`);
  return lines;
}

/** Calls that did not fail, folded into one line: "6 answered, 1 cancelled by the caller". */
function otherCalls(calls: readonly CallReport[], totals: TriageTotals | undefined): string | undefined {
  const counts = new Map<Outcome, number>();
  if (totals !== undefined && totals.calls > calls.length) {
    for (const [o, n] of Object.entries(totals.outcomes) as [Outcome, number][]) counts.set(o, n);
  } else {
    for (const c of calls) counts.set(c.call.outcome, (counts.get(c.call.outcome) ?? 0) + 1);
  }
  const parts = (['answered', 'cancelled', 'challenged', 'redirected'] as const)
    .filter((o) => (counts.get(o) ?? 0) > 0)
    .map((o) => `${counts.get(o) ?? 0} ${OUTCOME_TEXT[o]}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * A finding repeated once per call is shown once with its count; findings that only say who sent a failure
 * are left to the group lines. Most severe first, then most common.
 */
function summaryFindings(calls: readonly CallReport[], legs: Legs): CardFinding[] {
  const seen = new Map<string, { finding: Finding; calls: number }>();
  for (const c of calls) {
    // A B2BUA's answer to the caller repeats its other leg's cause: counted once, with that leg.
    if (legs.folded.has(c)) continue;
    for (const f of new Map(c.findings.map((x) => [`${x.id}\u0000${x.title}`, x])).values()) {
      if (f.severity === 'info') continue;
      const key = `${f.id}\u0000${f.title}`;
      const had = seen.get(key);
      if (had === undefined) seen.set(key, { finding: f, calls: 1 });
      else seen.set(key, { finding: had.finding, calls: had.calls + 1 });
    }
  }
  const rank = (f: Finding): number => (f.severity === 'error' ? 0 : 1);
  return [...seen.values()]
    .sort((a, b) => rank(a.finding) - rank(b.finding) || b.calls - a.calls)
    .slice(0, SUMMARY_FINDINGS)
    .map(({ finding, calls: n }) => {
      const card = cardFinding(finding);
      return n === 1 ? card : { ...card, title: `${card.title} (${n} calls)` };
    });
}

/** Buttons to the generic code cards of the worst failures: the remediation is one click away, not repeated. */
function codeActions(groups: readonly FailureGroup[], totals: TriageTotals | undefined): CardAction[] {
  const codes = totals !== undefined ? totals.endings.filter((e) => e.outcome === 'failed' && e.code !== null).sort((a, b) => groupRank(a.code ?? undefined) - groupRank(b.code ?? undefined) || b.calls - a.calls).map((e) => e.code ?? 0) : groups.map((g) => g.code);
  const distinct = [...new Set(codes.filter((c): c is number => c !== undefined && c >= 300))].slice(0, CODE_BUTTONS);
  return distinct.map((code) => ({ label: `What ${code} means`, query: String(code) }));
}

function doNowSection(kb: KnowledgeBase, code: number): CardSection | undefined {
  const entry = kb.code(code);
  if (entry === undefined) return undefined;
  const { doNow } = codeAnswer(kb, entry);
  return doNow.length === 0 ? undefined : { title: `Do now (${code} ${entry.reason})`, items: doNow.slice(0, 2), ordered: true };
}

function repairSection(report: TriageReport): CardSection | undefined {
  const repairs = report.repairs ?? [];
  if (repairs.length === 0) return undefined;
  // Brief: the user sees that the paste was read with guesses, and where; --json lists every one.
  const joined = repairs.filter((r) => r.what === 'joined-wrapped-line').map((r) => r.line);
  const spaced = repairs.filter((r) => r.what === 'removed-doubled-spacing').map((r) => r.line);
  const split = repairs.filter((r) => r.what === 'split-escaped-line-breaks').map((r) => r.line);
  return {
    title: 'Repaired before reading',
    items: [
      ...(joined.length === 0 ? [] : [`joined ${joined.length} wrapped line${joined.length === 1 ? '' : 's'} (line ${lineList(joined)})`]),
      ...(spaced.length === 0 ? [] : [`removed doubled line spacing (${spaced.length} blank line${spaced.length === 1 ? '' : 's'}, from line ${spaced[0] ?? ''})`]),
      ...(split.length === 0 ? [] : [`split escaped line breaks (#015#012 or \\r\\n) into lines (line ${lineList(split)})`]),
    ],
  };
}

function lineList(lines: readonly number[]): string {
  return lines.length <= 3 ? lines.join(', ') : `${lines.slice(0, 3).join(', ')} and ${lines.length - 3} more`;
}

/**
 * Cards for the whole report: the summary, then one card per distinct call that did not simply succeed
 * (identical calls collapsed into one card marked "×N"), in the summary's order: worst failure group first.
 */
export function triageCards(kb: KnowledgeBase, report: TriageReport, totals?: TriageTotals, redact?: RedactOptions): { summary: Card; calls: Card[] } {
  const legs = findLegs(kb, report.calls, report.legs);
  const order = new Map<CallReport, number>();
  groupFailures(kb, report.calls, redact, legs).forEach((g, i) => g.calls.forEach((c) => order.set(c, i)));
  // A folded B2BUA leg sits right after the leg it passed on.
  for (const [far, caller] of legs.callerLegOf) order.set(caller, (order.get(far) ?? 0) + 0.5);
  const interesting = report.calls.filter(shownInDetail).sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
  const cards = collapseCalls(interesting).map(({ report: c, callIds }) =>
    triageCallCard(kb, c, report.media === undefined ? undefined : callMedia(report.media, c.call.callId), callIds),
  );
  return { summary: triageSummaryCard(kb, report, totals, redact), calls: cards };
}
