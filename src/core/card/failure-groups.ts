import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { Redactor, type RedactOptions } from '../redact.js';
import type { TraceEntry } from '../triage/call.js';
import type { Finding } from '../triage/finding.js';
import type { LegGroup } from '../triage/join-legs.js';
import type { CallReport } from '../triage/triage.js';
import { rootFailure } from './triage-cards.js';

/**
 * Failing calls grouped by what an on-call engineer would call "the same failure": the code the far side
 * sent, the element that sent it, and the finding that explains it. Four calls refused with 488 by one
 * element for want of a common codec are one line with a count, not four.
 */
export interface FailureGroup {
  readonly method: string;
  /** The failure nearest its origin (what the far side sent); undefined when the call had no final response. */
  readonly code: number | undefined;
  readonly reason: string;
  /** What the caller saw instead, when a proxy or B2BUA turned the failure into another code. */
  readonly relayedAs: { readonly code: number; readonly reason: string } | undefined;
  /** Who sent it: the product its Server header names, else its source address (masked as configured). */
  readonly element: string | undefined;
  /** The Q.850 cause the failure carried (RFC 3326 Reason), with its name when known. */
  readonly q850: string | undefined;
  /** The first error or warning finding of the group's calls (the same for each): the one-line why. */
  readonly finding: Finding | undefined;
  readonly calls: readonly CallReport[];
  /** B2BUA legs folded into these calls: the other leg's answer to the caller ("603 Decline by Asterisk"). */
  readonly otherLeg: string | undefined;
}

/** Findings that say who or what, already named on the group line, or only describe a call's normal end. */
const NOT_A_WHY = new Set(['origin', 'cancelled']);

/** Pairs of B2BUA legs: the failing leg towards the far side and the leg the B2BUA answered the caller on. */
export interface Legs {
  /** The B2BUA's own answer to the caller, keyed by the far-side leg it passes on. */
  readonly callerLegOf: ReadonlyMap<CallReport, CallReport>;
  /** Caller-side legs, counted with their far-side leg rather than as calls of their own. */
  readonly folded: ReadonlySet<CallReport>;
}

export function isFailure(c: CallReport): boolean {
  return c.call.outcome === 'failed' || c.call.outcome === 'no-final';
}

/** Rank for ordering: server-side failures (5xx) first, then global (6xx), then unanswered, then 4xx. */
export function groupRank(code: number | undefined): number {
  if (code === undefined) return 2;
  if (code >= 500 && code < 600) return 0;
  if (code >= 600) return 1;
  return 3;
}

/**
 * Legs of one call through a B2BUA (Asterisk, FreeSWITCH, 3CX): a failure the B2BUA received on its outgoing
 * leg and the failure it sent the caller on the incoming one carry different Call-IDs (a B2BUA starts a new
 * dialog, RFC 7092 §3.1). They are taken as one call when the caller's leg was answered by a PBX product, the
 * far-side leg's failure came first, both are INVITEs ended within two seconds (or carry no times), and they
 * share the Q.850 cause or the dialled number.
 */
export function findLegs(kb: KnowledgeBase, calls: readonly CallReport[], joined: readonly LegGroup[] = []): Legs {
  const callerLegOf = new Map<CallReport, CallReport>();
  const folded = new Set<CallReport>();
  // Legs the triage joined by a shared key (join-legs.ts) first: the leg that failed first stands for the call.
  for (const g of joined) {
    const legs = g.callIds.map((id) => calls.find((c) => c.call.callId === id)).filter((c): c is CallReport => c !== undefined);
    const lead = legs.find((c) => c.call.callId === g.failedFirst) ?? legs[0];
    if (lead === undefined) continue;
    for (const leg of legs) if (leg !== lead) folded.add(leg);
    const callerLeg = legs[0];
    if (callerLeg !== undefined && callerLeg !== lead && callerLeg.call.outcome === 'failed') callerLegOf.set(lead, callerLeg);
  }
  const failing = calls.filter((c) => c.call.outcome === 'failed' && c.call.method === 'INVITE');
  for (const callerLeg of failing) {
    const sent = callerLeg.call.final;
    if (sent === undefined || folded.has(callerLeg) || callerLegOf.has(callerLeg) || !isB2bua(kb, sent)) continue;
    const farLeg = failing.find(
      (c) => c !== callerLeg && !folded.has(c) && !callerLegOf.has(c) && !folded.has(callerLeg) && sameCall(c, callerLeg, sent),
    );
    if (farLeg === undefined) continue;
    callerLegOf.set(farLeg, callerLeg);
    folded.add(callerLeg);
  }
  return { callerLegOf, folded };
}

function isB2bua(kb: KnowledgeBase, entry: TraceEntry): boolean {
  const product = entry.message.get('Server') ?? entry.message.get('User-Agent');
  if (product === undefined) return false;
  const id = kb.platformForUserAgent(product)?.id;
  return id === 'asterisk' || id === 'freeswitch' || id === '3cx';
}

function sameCall(far: CallReport, caller: CallReport, sent: TraceEntry): boolean {
  const got = rootFailure(far.call);
  if (got === undefined || got.index > sent.index || isB2buaSent(got, sent)) return false;
  const a = got.message.meta.time;
  const b = sent.message.meta.time;
  if ((a === undefined) !== (b === undefined)) return false;
  if (a !== undefined && b !== undefined && Math.abs(b - a) > 2000) return false;
  const causeA = q850Cause(got);
  const causeB = q850Cause(sent);
  if (causeA !== undefined && causeA === causeB) return true;
  const dialled = digits(got.message.to?.uri?.user);
  const asked = digits(caller.call.final?.message.to?.uri?.user);
  return dialled.length >= 6 && asked.length >= 6 && (dialled.includes(asked) || asked.includes(dialled));
}

// The same response seen twice (a proxy's relay of it) is not a second leg.
function isB2buaSent(got: TraceEntry, sent: TraceEntry): boolean {
  return got.message.callId === sent.message.callId;
}

function digits(s: string | undefined): string {
  return (s ?? '').replace(/\D/g, '');
}

export function q850Cause(entry: TraceEntry | undefined): number | undefined {
  return entry?.message.reasons.find((r) => r.protocol.toUpperCase() === 'Q.850')?.cause;
}

/** The group's one-line why: the first finding that explains rather than locates. */
export function whyFinding(c: CallReport): Finding | undefined {
  return c.findings.find((f) => f.severity !== 'info' && !NOT_A_WHY.has(f.id));
}

/** Failing calls grouped by (method, code, relayed code, element, why), worst first, larger groups first. */
export function groupFailures(kb: KnowledgeBase, calls: readonly CallReport[], redact?: RedactOptions, legs: Legs = findLegs(kb, calls)): FailureGroup[] {
  const redactor = redact === undefined ? undefined : new Redactor(redact);
  const groups = new Map<string, { group: Omit<FailureGroup, 'calls'>; calls: CallReport[] }>();
  for (const c of calls) {
    if (!isFailure(c) || legs.folded.has(c)) continue;
    const root = rootFailure(c.call);
    const final = c.call.final?.message;
    const code = root?.message.status ?? (c.call.outcome === 'failed' ? final?.status : undefined);
    const reason = reasonOf(kb, code, root?.message.reason ?? final?.reason);
    const relayedAs =
      final?.status !== undefined && code !== undefined && final.status !== code ? { code: final.status, reason: reasonOf(kb, final.status, final.reason) } : undefined;
    const element = elementOf(root ?? c.call.final, redactor);
    const cause = q850Cause(root);
    const q850 = cause === undefined ? undefined : `Q.850 cause ${cause}${kb.q850(cause) === undefined ? '' : ` ${kb.q850(cause)?.name ?? ''}`}`;
    const finding = whyFinding(c);
    const callerLeg = legs.callerLegOf.get(c)?.call.final?.message;
    const otherLeg = callerLeg === undefined ? undefined : `${callerLeg.status ?? ''} ${reasonOf(kb, callerLeg.status, callerLeg.reason)} to the caller by ${callerLeg.product ?? 'the B2BUA'}`;
    const key = [c.call.method, code, relayedAs?.code, element, q850, finding?.id, finding?.title, otherLeg].join('\u0000');
    const had = groups.get(key);
    if (had !== undefined) had.calls.push(c);
    else groups.set(key, { group: { method: c.call.method || '?', code, reason, relayedAs, element, q850, finding, otherLeg }, calls: [c] });
  }
  return [...groups.values()]
    .map(({ group, calls: members }) => ({ ...group, calls: members }))
    .sort((a, b) => groupRank(a.code) - groupRank(b.code) || b.calls.length - a.calls.length || (b.code ?? 0) - (a.code ?? 0));
}

/** "4 calls: 488 Not Acceptable Here from uas-codec · No codec in common" (the count only when asked for). */
export function groupLine(g: FailureGroup, withCount: boolean): string {
  const n = g.calls.length;
  const count = withCount ? `${n} call${n === 1 ? '' : 's'}: ` : '';
  const what = g.code === undefined ? `${g.method} with no final response` : `${g.method === 'INVITE' ? '' : `${g.method} → `}${g.code} ${g.reason}`.trim();
  const from = g.element === undefined ? '' : ` from ${g.element}`;
  const relayed = g.relayedAs === undefined ? '' : ` (the caller got ${g.relayedAs.code} ${g.relayedAs.reason})`.replace(/ \)$/, ')');
  const leg = g.otherLeg === undefined ? '' : ` (passed on as ${g.otherLeg})`;
  // A Q.850 finding already says the cause, with its meaning.
  const cause = g.q850 === undefined || g.finding?.title.startsWith('Q.850') === true ? '' : `, ${g.q850}`;
  const why = g.finding === undefined ? '' : ` · ${g.finding.title}`;
  return `${count}${what}${from}${cause}${relayed}${leg}${why}`;
}

function reasonOf(kb: KnowledgeBase, code: number | undefined, printed: string | undefined): string {
  if (code === undefined) return '';
  return kb.code(code)?.reason ?? kb.unregistered(code)?.reason ?? (printed ?? '').trim();
}

// Product names are not personal data; an address is, so it follows REDACT_ADDRESSES like the rest of the card.
function elementOf(entry: TraceEntry | undefined, redactor: Redactor | undefined): string | undefined {
  const m = entry?.message;
  if (m === undefined) return undefined;
  const product = m.get('Server') ?? m.get('User-Agent');
  if (product !== undefined) return product.length > 60 ? `${product.slice(0, 59)}…` : product;
  const host = m.meta.src?.host;
  if (host === undefined) return undefined;
  return redactor === undefined || !redactor.options.addresses ? host : redactor.address(host);
}
