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
}

/**
 * Folds judged calls into a summary of bounded size: counts of every call, and the `detailed` most telling
 * calls in full (failing first, a call that fails in a new way before one more of the same), in trace order.
 */
export class BoundedReport {
  readonly #detailed: number;
  readonly #kept: Kept[] = [];
  readonly #signatures = new Set<string>();
  readonly #endings = new Map<string, { method: string; code: number | null; reason: string; outcome: Outcome; calls: number }>();
  readonly #findings = new Map<string, { id: string; severity: Severity; title: string; calls: number }>();
  readonly #outcomes: Record<Outcome, number> = { failed: 0, 'no-final': 0, challenged: 0, cancelled: 0, redirected: 0, answered: 0 };
  #calls = 0;

  constructor(detailed = DEFAULT_DETAILED_CALLS) {
    this.#detailed = detailed;
  }

  add(report: CallReport): void {
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
    this.#keep({ report, rank: OUTCOME_RANK[call.outcome], repeat, seq: this.#calls });
  }

  /** The kept calls as a report, in trace order, with the messages they hold. */
  report(format: string, problems: readonly Problem[]): TriageReport {
    const calls = this.#kept.map((k) => k.report).sort((a, b) => firstIndex(a) - firstIndex(b));
    const entries: TraceEntry[] = calls.flatMap((c) => c.call.entries).sort((a, b) => a.index - b.index);
    return { format, entries, calls, problems };
  }

  totals(stream: { readonly messages: number; readonly retransmissions: number }): TriageTotals {
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
    };
  }

  #keep(k: Kept): void {
    if (this.#kept.length < this.#detailed) {
      this.#kept.push(k);
      return;
    }
    // Replace the least telling kept call if the new one tells more; ties keep the earlier call.
    let worst = 0;
    for (let i = 1; i < this.#kept.length; i++) if (later(this.#kept[i]!, this.#kept[worst]!)) worst = i;
    if (later(this.#kept[worst]!, k)) this.#kept[worst] = k;
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
