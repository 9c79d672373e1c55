import type { Problem } from '../result.js';
import type { Outcome, TraceEntry } from './call.js';
import type { Severity } from './finding.js';
import { OUTCOME_RANK, type CallReport, type TriageReport } from './triage.js';

/** What every call of a large capture added up to, when only a few are kept in full. */
export interface TriageTotals {
  readonly calls: number;
  readonly messages: number;
  readonly retransmissions: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** How calls ended, by method, final response and outcome, most common first. */
  readonly endings: readonly { readonly method: string; readonly code: number | null; readonly reason: string; readonly outcome: Outcome; readonly calls: number }[];
  /** Calls whose ending is not among `endings`. */
  readonly otherEndings: number;
  /** Findings by id with the number of calls each was found in, most common first. */
  readonly findings: readonly { readonly id: string; readonly severity: Severity; readonly title: string; readonly calls: number }[];
  /** Calls kept in full detail (the report's calls). */
  readonly detailed: number;
  /** Calls joined as legs of one call through a B2BUA: groups found among every call, and calls not looked at for want of room. */
  readonly legs: { readonly groups: number; readonly unjoined: number };
}

export const DEFAULT_DETAILED_CALLS = 50;
// Distinct endings and finding ids tallied; past this the rest is summed under "other". Codes are three
// digits and methods few, so a real capture stays far below; a hostile one cannot grow the tally.
const MAX_KEYS = 200;
const SHOWN = 20;

interface Kept {
  readonly report: CallReport;
  readonly rank: number;
  readonly repeat: number;
  readonly seq: number;
  /** Its number in the leg joiner, when it was joined. */
  readonly leg: number | undefined;
}

/** The group of legs a call belongs to right now (LegJoiner.root); groups merge as later legs end. */
export type LegRoot = (leg: number) => number;

/**
 * Folds judged calls into a summary of bounded size: counts of every call, and the `detailed` most telling
 * calls in full (failing first, a call that fails in a new way before one more of the same), in trace order.
 * The legs of one call through a B2BUA are kept or let go together, so a joined call is drawn whole: a leg
 * that ends after another of its call was kept is kept with it, and the group is judged by its most telling leg.
 */
export class BoundedReport {
  readonly #detailed: number;
  readonly #kept: Kept[] = [];
  readonly #signatures = new Set<string>();
  readonly #endings = new Map<string, { method: string; code: number | null; reason: string; outcome: Outcome; calls: number }>();
  readonly #findings = new Map<string, { id: string; severity: Severity; title: string; calls: number }>();
  readonly #outcomes: Record<Outcome, number> = { failed: 0, 'no-final': 0, challenged: 0, cancelled: 0, redirected: 0, answered: 0 };
  readonly #root: LegRoot;
  #calls = 0;

  constructor(detailed = DEFAULT_DETAILED_CALLS, root: LegRoot = (leg) => leg) {
    this.#detailed = detailed;
    this.#root = root;
  }

  /** One judged call; `leg` its number in the leg joiner, when joined. */
  add(report: CallReport, leg?: number): void {
    const { call, findings } = report;
    this.#calls++;
    this.#outcomes[call.outcome]++;
    const final = call.final?.message;
    const ending = `${call.method}|${final?.status ?? ''}|${call.outcome}`;
    const e = this.#endings.get(ending);
    if (e !== undefined) e.calls++;
    else if (this.#endings.size < MAX_KEYS) {
      // Cut to a line's length: the reason phrase and method are the sender's text.
      this.#endings.set(ending, { method: call.method.slice(0, 32), code: final?.status ?? null, reason: (final?.reason ?? '').slice(0, 80), outcome: call.outcome, calls: 1 });
    }
    for (const id of new Set(findings.map((f) => f.id))) {
      const f = this.#findings.get(id);
      if (f !== undefined) f.calls++;
      else if (this.#findings.size < MAX_KEYS) {
        const first = findings.find((x) => x.id === id);
        if (first !== undefined) this.#findings.set(id, { id, severity: first.severity, title: first.title, calls: 1 });
      }
    }
    const signature = `${ending}|${findings.filter((f) => f.severity !== 'info').map((f) => f.id).sort().join(',')}`;
    const repeat = this.#signatures.has(signature) ? 1 : 0;
    if (repeat === 0 && this.#signatures.size < MAX_KEYS * 10) this.#signatures.add(signature);
    this.#keep({ report, rank: OUTCOME_RANK[call.outcome], repeat, seq: this.#calls, leg });
  }

  /** The kept calls as a report, in trace order, with the messages they hold. */
  report(format: string, problems: readonly Problem[]): TriageReport {
    const calls = this.#kept.map((k) => k.report).sort((a, b) => firstIndex(a) - firstIndex(b));
    const entries: TraceEntry[] = calls.flatMap((c) => c.call.entries).sort((a, b) => a.index - b.index);
    return { format, entries, calls, problems };
  }

  totals(stream: { readonly messages: number; readonly retransmissions: number }, legs: TriageTotals['legs'] = { groups: 0, unjoined: 0 }): TriageTotals {
    const endings = [...this.#endings.values()].sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || b.calls - a.calls).slice(0, SHOWN);
    const shown = endings.reduce((n, x) => n + x.calls, 0);
    return {
      calls: this.#calls,
      messages: stream.messages,
      retransmissions: stream.retransmissions,
      outcomes: { ...this.#outcomes },
      endings: endings.map((x) => ({ ...x })),
      otherEndings: this.#calls - shown,
      findings: [...this.#findings.values()].sort((a, b) => severity(a.severity) - severity(b.severity) || b.calls - a.calls).slice(0, SHOWN).map((x) => ({ ...x })),
      detailed: this.#kept.length,
      legs: { ...legs },
    };
  }

  #keep(k: Kept): void {
    const unit = this.#unit(k);
    const legsKept = this.#kept.filter((x) => this.#unit(x) === unit).length;
    // A later leg of a kept call stays with it, unless the group alone would fill the report (a constant
    // "correlation" value on every call would otherwise let one group push out everything else).
    if (legsKept > 0 && legsKept < this.#detailed) {
      this.#kept.push(k);
      while (this.#kept.length > this.#detailed) {
        const worst = this.#worstUnit(unit);
        if (worst === undefined) break;
        this.#drop(worst);
      }
      return;
    }
    if (this.#kept.length < this.#detailed) {
      this.#kept.push(k);
      return;
    }
    // Replace the least telling kept call (with its other legs) if the new one tells more; ties keep the earlier.
    const worst = this.#worstUnit(undefined);
    if (worst === undefined || !later(worst.best, k)) return;
    this.#drop(worst);
    this.#kept.push(k);
  }

  #unit(k: Kept): number {
    // Calls never joined are units of their own, numbered apart from the joiner's numbers.
    return k.leg === undefined ? -k.seq : this.#root(k.leg);
  }

  /** The least telling group of kept calls (each group as telling as its best call), other than `except`. */
  #worstUnit(except: number | undefined): { unit: number; best: Kept } | undefined {
    const best = new Map<number, Kept>();
    for (const x of this.#kept) {
      const u = this.#unit(x);
      if (u === except) continue;
      const b = best.get(u);
      if (b === undefined || later(b, x)) best.set(u, x);
    }
    let worst: { unit: number; best: Kept } | undefined;
    for (const [unit, b] of best) if (worst === undefined || later(b, worst.best)) worst = { unit, best: b };
    return worst;
  }

  #drop(worst: { unit: number }): void {
    for (let i = this.#kept.length - 1; i >= 0; i--) if (this.#unit(this.#kept[i]!) === worst.unit) this.#kept.splice(i, 1);
  }
}

/** Whether a comes after b in the order calls are worth showing. */
function later(a: Kept, b: Kept): boolean {
  return a.rank !== b.rank ? a.rank > b.rank : a.repeat !== b.repeat ? a.repeat > b.repeat : a.seq > b.seq;
}

function firstIndex(r: CallReport): number {
  return r.call.entries[0]?.index ?? 0;
}

function severity(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}
