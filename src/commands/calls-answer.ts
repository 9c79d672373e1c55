import type { Card, CardAction } from '../core/card/card.js';
import { toneForCode } from '../core/card/card.js';
import { CALLS_USAGE, cursorText, type CallsCommand } from '../core/query/calls-query.js';
import { maskNumbers, Redactor, type RedactOptions } from '../core/redact.js';
import type { KeptCallSummary } from '../ports/call-store.js';
import type { CallsPort } from '../ports/surface.js';

/** Rows on one page of `/sip calls`; More pages back. An alert's Example calls shows the three latest. */
export const CALLS_PAGE = 5;
const EXAMPLES = 3;

/** What `/sip calls` answers: a list card, or a kept call to answer as a pasted trace. */
export type CallsAnswer = { readonly card: Card } | { readonly trace: { readonly text: string; readonly name: string; readonly callIds: readonly string[] } };

/**
 * `/sip calls …` for every surface: the latest kept calls that match, newest first, each with a button that
 * opens it, and More for the page before; `calls open ID` returns the kept trace (both legs when joined),
 * which the surface answers exactly as a pasted trace: triage cards, ladder, Share with carrier.
 */
export async function callsAnswer(calls: CallsPort | undefined, cmd: CallsCommand, redact: RedactOptions, now: number): Promise<CallsAnswer> {
  if (cmd.action === 'invalid') return { card: notice('Kept calls', cmd.problem, true, [{ title: 'Usage', items: CALLS_USAGE }]) };
  if (calls === undefined) return { card: notice('Kept calls are off here', 'This siptriage keeps no calls (CALLS_KEEP=off, or no live ingest store), so there is nothing to search or open.', true) };
  if (cmd.action === 'open') {
    const call = await calls.open(cmd.callId);
    if (call === undefined) return { card: notice('No such kept call', `No kept call has that Call-ID; calls are kept ${calls.keepDays} days.`, true) };
    return { trace: { text: call.text, name: `call-${safeName(cmd.callId)}.txt`, callIds: call.callIds } };
  }
  const q = cmd.query;
  const limit = cmd.examples === true ? EXAMPLES : CALLS_PAGE;
  const before = cmd.before;
  const rows = await calls.find({
    // The period counts back from the cursor when there is one: an alert's examples opened a day later still
    // cover the hour before it. "before MS" alone (an alert's examples, a More button posted before row ids
    // were written) means what it always did: calls older than MS.
    from: (before?.time ?? now) - q.periodMs,
    to: before === undefined ? now + 1 : before.id === undefined ? before.time : before.time + 1,
    ...(before?.id === undefined ? {} : { after: { time: before.time, id: before.id } }),
    limit: limit + 1,
    ...(q.code === undefined ? {} : { code: q.code }),
    ...(q.codeClass === undefined ? {} : { codeClass: q.codeClass }),
    ...(q.peer === undefined ? {} : { peer: q.peer }),
    ...(q.number === undefined ? {} : { number: q.number }),
    ...(q.callId === undefined ? {} : { callId: q.callId }),
  });
  const shown = rows.slice(0, limit);
  const redactor = new Redactor(redact);
  const what = cmd.words === '' ? 'all kept calls, 24 h' : cmd.words;
  if (shown.length === 0) return { card: notice('No kept calls match', `Nothing kept matches "${what}"${cmd.before === undefined ? '' : ' before the last page'}; calls are kept ${calls.keepDays} days.`, false) };
  const actions: CardAction[] = shown.map((r, i) => ({ label: `Open ${i + 1}: ${r.code}`, query: `calls open ${r.callId}` }));
  const last = shown[shown.length - 1];
  // The next page continues after the last row shown, by its time and id: a HEP burst puts many calls in one
  // millisecond, and a cursor by time alone would skip the rest of them.
  if (rows.length > limit && last !== undefined && cmd.examples !== true) {
    actions.push({ label: 'More', query: `calls ${cmd.words} before ${cursorText({ time: last.time, id: last.id })}`.replace(/\s+/g, ' ') });
  }
  return {
    card: {
      kind: 'notice',
      title: cmd.examples === true ? `Example calls: ${what}` : `Kept calls: ${what}`,
      summary: `${shown.length} call${shown.length === 1 ? '' : 's'}, newest first${rows.length > limit ? '; more before these' : ''}.`,
      tone: toneForCode(shown[0]?.code ?? 500),
      fields: [],
      sections: [{ title: 'Calls', items: shown.map((r, i) => row(r, i, redact, redactor)) }],
      links: [],
      actions,
      footer: 'Open shows the call as a pasted trace: triage, ladder and Share with carrier.',
    },
  };
}

/** "1. 10:41:00 UTC  503 INVITE  +49305…→ +4930…  203.0.113.7  (no-route)  Call-ID …" */
function row(r: KeptCallSummary, i: number, redact: RedactOptions, redactor: Redactor): string {
  const num = (v: string | null): string => (v === null ? '?' : redact.numbers ? maskNumbers(v) : v);
  const peer = r.peer === null ? '' : `  ${redact.addresses ? redactor.address(r.peer) : r.peer}`;
  const findings = r.findings.length === 0 ? '' : `  (${r.findings.slice(0, 3).join(', ')})`;
  const time = new Date(r.time).toISOString();
  return `${i + 1}. ${time.slice(0, 10)} ${time.slice(11, 19)} UTC  ${r.code} ${r.method}  ${num(r.from)} → ${num(r.to)}${peer}${findings}  Call-ID ${redactor.header('Call-ID', r.callId)}`.slice(0, 900);
}

function notice(title: string, summary: string, isError: boolean, sections: Card['sections'] = []): Card {
  return { kind: 'notice', title, summary, tone: isError ? 'warning' : 'neutral', fields: [], sections, links: [], ...(isError ? { isError: true } : {}) };
}

function safeName(callId: string): string {
  return callId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
}
