import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { LegOptions } from '../calls/leg-keys.js';
import { legCallOf, LegJoiner, type LegCall } from './leg-joiner.js';
import type { CallReport } from './triage.js';

/** The legs of one call through a B2BUA or SBC, as a report shows them: A leg first, then B, C… by when each began. */
export interface LegGroup {
  /** Call-IDs, A leg first. */
  readonly callIds: readonly string[];
  /** The leg that failed first (its Call-ID), when one failed. */
  readonly failedFirst?: string;
  /** "The B leg got 503 Service Unavailable from the carrier (203.0.113.7); the SBC answered the caller 500 Server Internal Error." */
  readonly verdict?: string;
}

/**
 * Which calls of a trace are legs of one call: those sharing a leg key (a correlation header value, or a
 * Call-ID once a leg rule strips what the B2BUA added), close in time. Groups of two or more only, each
 * judged (`legVerdict`). Pure; `show` masks addresses as the redaction settings say. A capture read as a
 * stream joins the same way (capture-triage.ts), from the same compact `LegCall`s.
 */
export function joinLegs(kb: KnowledgeBase, calls: readonly CallReport[], options: LegOptions, show: (address: string) => string = (a) => a): LegGroup[] {
  if (calls.length < 2) return [];
  const joiner = new LegJoiner(Number.MAX_SAFE_INTEGER);
  for (const c of calls) joiner.add(legCallOf(kb, c.call, options, show));
  return joiner.groups().map(groupVerdict);
}

/** `groupVerdict` of whole calls. */
export function legVerdict(kb: KnowledgeBase, legs: readonly CallReport[], show: (address: string) => string = (a) => a): LegGroup {
  return groupVerdict(legs.map((l) => legCallOf(kb, l.call, { correlationHeaders: [], legRules: [] }, show)));
}

/**
 * Names the legs (A is the one that began first) and says which failed first: the failure nearest its origin
 * (RFC 3261 §16.7) that came earliest in the trace. A B2BUA answers its caller only after its own B leg
 * failed, so the earliest failure is the cause and the A leg's answer its consequence.
 */
export function groupVerdict(legs: readonly LegCall[]): LegGroup {
  const ordered = [...legs].sort((a, b) => a.index - b.index);
  const callIds = ordered.map((l) => l.callId);
  const failures = ordered
    .map((leg, i) => ({ i, leg, failure: leg.failure }))
    .filter((f): f is { i: number; leg: LegCall; failure: NonNullable<LegCall['failure']> } => f.failure !== undefined)
    .sort((a, b) => a.failure.index - b.failure.index);
  const first = failures[0];
  if (first === undefined) return { callIds };
  const a = ordered[0]!;
  const { got, sender } = first.failure;
  let verdict: string;
  if (first.i === 0) {
    const b = ordered[1];
    verdict = `The A leg failed first: it got ${got} from ${sender}${b === undefined ? '' : `; ${legName(1)} ${b.outcome === 'answered' ? 'was answered' : `ended ${b.outcome}`}`}.`;
  } else {
    const after = a.outcome === 'failed' && a.final !== undefined ? `${a.bridge} answered the caller ${a.final}` : a.outcome === 'answered' ? `the call went on and the caller was answered` : `the caller's leg ended ${a.outcome}`;
    verdict = `${capital(legName(first.i))} got ${got} from ${sender}; ${after}.`;
  }
  return { callIds, failedFirst: first.leg.callId, verdict };
}

/** "the B leg", "the C leg". */
export function legName(i: number): string {
  return `the ${String.fromCharCode(65 + Math.min(i, 25))} leg`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
