import { callLine } from '../card/triage-cards.js';
import type { Redactor } from '../redact.js';
import type { Call, TraceEntry } from '../triage/call.js';
import type { LegGroup } from '../triage/join-legs.js';
import { OUTCOME_RANK, type TriageReport } from '../triage/triage.js';
import { endpointText, productName, senderFromVia, targetOfRequest } from './host-address.js';
import type { Highlight, Ladder, LadderArrow, LadderCall, LadderHost } from './ladder-model.js';

export interface LadderOptions {
  /** Only this call (by Call-ID). */
  readonly callId?: string;
  /** Only calls that failed or got no final response. */
  readonly failingOnly?: boolean;
  /** Most arrows drawn across all calls; the rest are counted in the note. */
  readonly maxArrows?: number;
  /** Shows addresses and Call-IDs as the redaction settings say (a share bundle, a chat channel). */
  readonly redactor?: Redactor;
}

export const DEFAULT_MAX_ARROWS = 150;

/**
 * The call-flow diagram of a triaged trace: per call, the hosts in order of first appearance and one arrow
 * per message. Failing calls come first; the failing response and the request it answers are highlighted,
 * retransmissions marked, and past `maxArrows` the rest is left out with a note saying what.
 */
export function buildLadder(report: TriageReport, options: LadderOptions = {}): Ladder {
  const maxArrows = options.maxArrows ?? DEFAULT_MAX_ARROWS;
  let calls = report.calls.map((c) => c.call);
  if (options.callId !== undefined) calls = calls.filter((c) => c.callId === options.callId);
  if (options.failingOnly === true) calls = calls.filter((c) => c.outcome === 'failed' || c.outcome === 'no-final');
  // Stable sort: within an outcome, calls stay in trace order.
  calls = [...calls].sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome]);

  // The legs of one call through a B2BUA are drawn as one call, where its A leg would be.
  const groups = report.legs ?? [];
  const groupOf = new Map(groups.flatMap((g) => g.callIds.map((id) => [id, g] as const)));
  const drawn = new Set<LegGroup>();
  const shown: LadderCall[] = [];
  let budget = maxArrows;
  let omittedCalls = 0;
  let omittedMessages = 0;
  for (const call of calls) {
    const group = groupOf.get(call.callId);
    if (group !== undefined && drawn.has(group)) continue;
    const legs = group === undefined ? [call] : group.callIds.flatMap((id) => report.calls.find((c) => c.call.callId === id)?.call ?? []);
    if (group !== undefined) drawn.add(group);
    if (budget <= 0) {
      omittedCalls += legs.length;
      omittedMessages += legs.reduce((n, l) => n + l.entries.length, 0);
      continue;
    }
    const ladder = group === undefined ? ladderCall(call, budget, options.redactor) : ladderLegs(legs, group, budget, options.redactor);
    budget -= ladder.arrows.length;
    omittedMessages += ladder.omittedArrows;
    shown.push(ladder);
  }
  const notes: string[] = [];
  if (options.callId !== undefined && calls.length === 0) notes.push(`no call with Call-ID ${options.callId} in this trace`);
  if (omittedCalls > 0 || omittedMessages > 0) {
    const total = calls.reduce((n, c) => n + c.entries.length, 0);
    const whole = omittedCalls > 0 ? `, ${omittedCalls} whole call${omittedCalls === 1 ? '' : 's'} among them` : '';
    notes.push(`${total - omittedMessages} of ${total} messages drawn (at most ${maxArrows}, failing calls first); ${omittedMessages} left out${whole}`);
  }
  return { calls: shown, note: notes.length === 0 ? undefined : notes.join('; ') };
}

/** Every leg of a joined call on one ladder: one column per host across the legs, arrows in trace order. */
function ladderLegs(legs: readonly Call[], group: LegGroup, budget: number, redactor: Redactor | undefined): LadderCall {
  const a = legs[0];
  if (a === undefined) throw new RangeError('a leg group without legs');
  const entries = legs.flatMap((l) => l.entries).sort((x, y) => x.index - y.index);
  const highlights = new Map(legs.flatMap((l) => [...highlighted(l)]));
  const nextHop = new Map(legs.flatMap((l) => [...forwardedTo(l)]));
  const show = (id: string): string => (redactor === undefined ? id : redactor.header('Call-ID', id));
  const title = group.verdict ?? legs.map((l, i) => `${String.fromCharCode(65 + Math.min(i, 25))} leg ${callLine(l)}`).join('; ');
  return draw(entries, highlights, nextHop, budget, redactor, { callId: group.callIds.map(show).join(' + '), title, outcome: a.outcome });
}

function ladderCall(call: Call, budget: number, redactor: Redactor | undefined): LadderCall {
  const callId = redactor === undefined ? call.callId : redactor.header('Call-ID', call.callId);
  return draw(call.entries, highlighted(call), forwardedTo(call), budget, redactor, { callId, title: callLine(call), outcome: call.outcome });
}

function draw(
  entries: readonly TraceEntry[],
  highlights: ReadonlyMap<TraceEntry, Highlight>,
  nextHop: ReadonlyMap<string, string>,
  budget: number,
  redactor: Redactor | undefined,
  head: Pick<LadderCall, 'callId' | 'title' | 'outcome'>,
): LadderCall {
  const hosts: LadderHost[] = [];
  const column = new Map<string, number>();
  const columnOf = (address: string): number => {
    let i = column.get(address);
    if (i === undefined) {
      i = hosts.length;
      column.set(address, i);
      hosts.push({ address: redactor?.options.addresses === true ? redactor.address(address) : address, product: undefined });
    }
    return i;
  };
  const products = new Map<number, string>();
  // A raw paste has no addresses: remember where each request went, so its responses come back from there.
  const requestTarget = new Map<string, string>();
  const start = entries.find((e) => e.message.meta.time !== undefined)?.message.meta.time;
  const arrows: LadderArrow[] = [];
  for (const entry of entries.slice(0, budget)) {
    const m = entry.message;
    const key = `${m.topVia?.branch ?? ''}|${m.cseq?.method ?? m.method ?? ''}`;
    let src = m.meta.src === undefined ? undefined : endpointText(m.meta.src);
    let dst = m.meta.dst === undefined ? undefined : endpointText(m.meta.dst);
    if (m.isRequest) {
      src ??= senderFromVia(m) ?? 'caller';
      dst ??= nextHop.get(m.topVia?.branch ?? '') ?? targetOfRequest(m) ?? 'callee';
      requestTarget.set(key, dst);
    } else {
      dst ??= senderFromVia(m) ?? 'caller';
      src ??= requestTarget.get(key) ?? 'callee';
    }
    const from = columnOf(src);
    const to = columnOf(dst);
    const product = productName(m);
    if (product !== undefined && !products.has(from)) products.set(from, product);
    const time = m.meta.time;
    arrows.push({
      from,
      to,
      label: m.isRequest ? `${m.method ?? ''}${m.sdp === undefined ? '' : ' (SDP)'}` : `${m.status ?? ''} ${m.reason ?? ''}`.trim(),
      kind: m.isRequest ? 'request' : 'response',
      offsetMs: time === undefined || start === undefined ? undefined : time - start,
      time,
      message: entry.index,
      retransmission: entry.retransmission,
      highlight: highlights.get(entry),
    });
  }
  return {
    ...head,
    hosts: hosts.map((h, i) => ({ ...h, product: products.get(i) })),
    arrows,
    omittedArrows: Math.max(0, entries.length - budget),
  };
}

/**
 * Where requests went, read from the proxies that forwarded them: a proxy puts its own Via above the one it
 * received (RFC 3261 §16.6 step 8), so a request whose second Via has branch b was sent by the host that
 * received the request with top Via branch b. Keyed by that branch.
 */
function forwardedTo(call: Call): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of call.entries) {
    if (!e.message.isRequest) continue;
    const vias = e.message.vias;
    for (let i = 1; i < vias.length; i++) {
      const branch = vias[i]?.branch;
      const above = vias[i - 1];
      if (branch === undefined || above === undefined || above.host === '' || out.has(branch)) continue;
      out.set(branch, endpointText({ host: above.host, ...(above.port === undefined ? {} : { port: above.port }) }));
    }
  }
  return out;
}

/**
 * The failing responses (the one the caller saw and, behind a proxy, the one nearest its origin, RFC 3261
 * §16.7) with the requests they answer; for a call with no final response, its unanswered requests.
 */
function highlighted(call: Call): Map<TraceEntry, Highlight> {
  const out = new Map<TraceEntry, Highlight>();
  if (call.outcome === 'failed') {
    const attempt = call.attempts[call.attempts.length - 1];
    const failures = [call.failure, attempt?.firstFinal].filter((e): e is TraceEntry => e !== undefined);
    for (const failure of failures) {
      out.set(failure, 'failure');
      const t = call.transactions.find((tx) => tx.responses.includes(failure));
      const request = t?.requests.find((r) => !r.retransmission);
      if (request !== undefined) out.set(request, 'failed-request');
    }
  } else if (call.outcome === 'no-final') {
    const attempt = call.attempts[call.attempts.length - 1];
    for (const t of attempt?.transactions ?? []) {
      if (t.final !== undefined) continue;
      for (const r of t.requests) out.set(r, 'unanswered');
    }
  }
  return out;
}
