import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { legKeysOf, type LegOptions } from '../calls/leg-keys.js';
import { endpointText } from '../ladder/host-address.js';
import type { Call, Outcome, TraceEntry } from './call.js';
import { findOrigin, ORIGIN_LABEL } from './origin.js';
import { ownString } from './own-string.js';

/**
 * What joining and judging legs needs of one call, and nothing more: a capture's calls are let go once
 * judged, and this is all that stays of each until the legs are joined at the end.
 */
export interface LegCall {
  readonly callId: string;
  readonly keys: readonly string[];
  /** Position of its first message in the trace: the A leg began first. */
  readonly index: number;
  /** Capture time of its first message, when known. */
  readonly time: number | undefined;
  readonly outcome: Outcome;
  /** "500 Server Internal Error": its final response, when it had one. */
  readonly final: string | undefined;
  /** Its failure nearest the origin (RFC 3261 §16.7), when it failed: where in the trace, what and from whom. */
  readonly failure: { readonly index: number; readonly got: string; readonly sender: string } | undefined;
  /** Who answered the caller, were this the A leg: "the PBX" when its failure says so, otherwise "the SBC". */
  readonly bridge: string;
}

// Legs of one call begin within seconds of each other; a shared key an hour apart is a reused value.
export const LEG_WINDOW_MS = 3_600_000;
/** Calls remembered for joining by default: a capture of 100,000 calls is joined whole. */
export const DEFAULT_MAX_LEG_CALLS = 100_000;
// Calls compared per key. A key on hundreds of calls is a constant some element stamps on every call, not a
// correlation value; comparing each new call with all of them would make a hostile capture quadratic.
const MAX_PER_KEY = 256;

/** The compact form of one judged call: its leg keys and what its verdict as a leg needs. */
export function legCallOf(kb: KnowledgeBase, call: Call, options: LegOptions, show: (address: string) => string): LegCall {
  const failed = originFailure(call);
  const final = call.final?.message;
  return {
    callId: ownString(call.callId),
    keys: legKeysOf(call.callId, call.entries.map((e) => e.message), options.correlationHeaders, options.legRules).map(ownString),
    index: call.entries[0]?.index ?? Number.MAX_SAFE_INTEGER,
    time: call.entries[0]?.message.meta.time,
    outcome: call.outcome,
    final: final === undefined ? undefined : ownString(`${final.status ?? ''} ${final.reason ?? ''}`.trim()),
    failure: failed === undefined ? undefined : { index: failed.index, got: ownString(`${failed.message.status ?? ''} ${failed.message.reason ?? ''}`.trim()), sender: ownString(senderOf(kb, call, failed, show)) },
    bridge: bridgeName(kb, call),
  };
}

/**
 * Joins calls into legs as they come, in any order: calls sharing a key and beginning within an hour of each
 * other are legs of one call (union-find, so the groups do not depend on the order calls were added). Holds
 * at most `capacity` calls; later ones are counted in `unjoined`, not joined.
 */
export class LegJoiner {
  readonly #capacity: number;
  readonly #legs: LegCall[] = [];
  readonly #parent: number[] = [];
  readonly #owners = new Map<string, number[]>();
  #unjoined = 0;

  constructor(capacity = DEFAULT_MAX_LEG_CALLS) {
    this.#capacity = capacity;
  }

  /** Calls held. */
  get size(): number {
    return this.#legs.length;
  }

  /** Calls not joined because the joiner was full. */
  get unjoined(): number {
    return this.#unjoined;
  }

  /** Adds a call; its number for `root`, or undefined when the joiner is full. */
  add(leg: LegCall): number | undefined {
    if (this.#legs.length >= this.#capacity) {
      this.#unjoined++;
      return undefined;
    }
    const i = this.#legs.push(leg) - 1;
    this.#parent.push(i);
    for (const key of leg.keys) {
      const seen = this.#owners.get(key);
      if (seen === undefined) {
        this.#owners.set(key, [i]);
        continue;
      }
      for (const j of seen) if (near(this.#legs[j]!, leg)) this.#union(i, j);
      if (seen.length < MAX_PER_KEY) seen.push(i);
    }
    return i;
  }

  /** The group a call belongs to right now, as a number shared by every call of the group. */
  root(i: number): number {
    const parent = this.#parent;
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  }

  /** Groups of two or more calls, each in the order the legs began, the group whose first leg began first first. */
  groups(): LegCall[][] {
    const groups = new Map<number, LegCall[]>();
    this.#legs.forEach((leg, i) => {
      const r = this.root(i);
      const g = groups.get(r);
      if (g === undefined) groups.set(r, [leg]);
      else g.push(leg);
    });
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((g) => g.sort((a, b) => a.index - b.index))
      .sort((a, b) => a[0]!.index - b[0]!.index);
  }

  #union(i: number, j: number): void {
    const a = this.root(i);
    const b = this.root(j);
    // The smaller number stays the root, so a group's number is that of its first call added.
    if (a !== b) this.#parent[Math.max(a, b)] = Math.min(a, b);
  }
}

function near(a: LegCall, b: LegCall): boolean {
  return a.time === undefined || b.time === undefined || Math.abs(a.time - b.time) <= LEG_WINDOW_MS;
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
