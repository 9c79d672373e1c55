import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { legKeysOf, type LegOptions } from '../calls/leg-keys.js';
import { endpointText } from '../ladder/host-address.js';
import type { Call, TraceEntry } from './call.js';
import { findOrigin, ORIGIN_LABEL } from './origin.js';
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

// Legs of one call begin within seconds of each other; a shared key an hour apart is a reused value.
const LEG_WINDOW_MS = 3_600_000;

/**
 * Which calls of a trace are legs of one call: those sharing a leg key (a correlation header value, or a
 * Call-ID once a leg rule strips what the B2BUA added), close in time. Groups of two or more only, each
 * judged (`legVerdict`). Pure; `show` masks addresses as the redaction settings say.
 */
export function joinLegs(kb: KnowledgeBase, calls: readonly CallReport[], options: LegOptions, show: (address: string) => string = (a) => a): LegGroup[] {
  if (calls.length < 2) return [];
  const parent = calls.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number[]>();
  calls.forEach((c, i) => {
    for (const key of legKeysOf(c.call.callId, c.call.entries.map((e) => e.message), options.correlationHeaders, options.legRules)) {
      const seen = owner.get(key) ?? [];
      for (const j of seen) if (near(calls[j]!.call, c.call)) parent[root(i)] = root(j);
      owner.set(key, [...seen, i]);
    }
  });
  const groups = new Map<number, CallReport[]>();
  calls.forEach((c, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), c]));
  return [...groups.values()].filter((g) => g.length > 1).map((g) => legVerdict(kb, g, show));
}

/**
 * Names the legs (A is the one that began first) and says which failed first: the failure nearest its origin
 * (RFC 3261 §16.7) that came earliest in the trace. A B2BUA answers its caller only after its own B leg
 * failed, so the earliest failure is the cause and the A leg's answer its consequence.
 */
export function legVerdict(kb: KnowledgeBase, legs: readonly CallReport[], show: (address: string) => string = (a) => a): LegGroup {
  const ordered = [...legs].sort((a, b) => firstIndex(a.call) - firstIndex(b.call));
  const callIds = ordered.map((l) => l.call.callId);
  const failures = ordered
    .map((l, i) => ({ leg: i, call: l.call, entry: originFailure(l.call) }))
    .filter((f): f is { leg: number; call: Call; entry: TraceEntry } => f.entry !== undefined)
    .sort((a, b) => a.entry.index - b.entry.index);
  const first = failures[0];
  if (first === undefined) return { callIds };
  const a = ordered[0]!.call;
  const sender = senderOf(kb, first.call, first.entry, show);
  const got = `${first.entry.message.status ?? ''} ${first.entry.message.reason ?? ''}`.trim();
  const aFinal = a.final?.message;
  const aEnd = aFinal === undefined ? undefined : `${aFinal.status ?? ''} ${aFinal.reason ?? ''}`.trim();
  let verdict: string;
  if (first.leg === 0) {
    verdict = `The A leg failed first: it got ${got} from ${sender}${ordered.length > 1 ? `; ${legName(1)} ${ordered[1]!.call.outcome === 'answered' ? 'was answered' : `ended ${ordered[1]!.call.outcome}`}` : ''}.`;
  } else {
    const bridge = bridgeName(kb, a);
    const after = a.outcome === 'failed' && aEnd !== undefined ? `${bridge} answered the caller ${aEnd}` : a.outcome === 'answered' ? `the call went on and the caller was answered` : `the caller's leg ended ${a.outcome}`;
    verdict = `${capital(legName(first.leg))} got ${got} from ${sender}; ${after}.`;
  }
  return { callIds, failedFirst: first.call.callId, verdict };
}

/** "the B leg", "the C leg". */
export function legName(i: number): string {
  return `the ${String.fromCharCode(65 + Math.min(i, 25))} leg`;
}

function originFailure(call: Call): TraceEntry | undefined {
  if (call.outcome !== 'failed') return undefined;
  return call.attempts[call.attempts.length - 1]?.firstFinal ?? call.failure;
}

function senderOf(kb: KnowledgeBase, call: Call, failure: TraceEntry, show: (address: string) => string): string {
  const o = findOrigin({ call, kb, show: (_n, v) => v }, failure);
  const src = failure.message.meta.src;
  const address = src === undefined ? '' : ` (${show(endpointText(src))})`;
  if (o.element === 'unknown' || o.confidence === 'low') return src === undefined ? 'an element the trace does not name' : show(endpointText(src));
  return `${ORIGIN_LABEL[o.element]}${address}`;
}

// The element between the legs answered the caller: a PBX when its answer says so, otherwise the SBC.
function bridgeName(kb: KnowledgeBase, a: Call): string {
  const f = a.outcome === 'failed' ? a.failure : undefined;
  if (f === undefined) return 'the SBC';
  return findOrigin({ call: a, kb, show: (_n, v) => v }, f).element === 'pbx' ? 'the PBX' : 'the SBC';
}

function firstIndex(call: Call): number {
  return call.entries[0]?.index ?? Number.MAX_SAFE_INTEGER;
}

function near(a: Call, b: Call): boolean {
  const ta = a.entries[0]?.message.meta.time;
  const tb = b.entries[0]?.message.meta.time;
  return ta === undefined || tb === undefined || Math.abs(ta - tb) <= LEG_WINDOW_MS;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
