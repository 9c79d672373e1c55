import { existsSync, readFileSync } from 'node:fs';
import { createEngine, type Engine } from '../../../src/core/engine.js';
import type { TriageReport } from '../../../src/core/triage/triage.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

/**
 * The corpus of real pasted traces (test/fixtures/wild/) and how the product scores on it. Shared by
 * wild-corpus.test.ts (the regression guard) and bench/wild.ts (the per-format report).
 */

/**
 * Floors the corpus test holds the product to: the share of expected failing calls found with the right
 * (Call-ID, code), overall and for each format with at least MIN_TRACES_PER_FORMAT traces. Raised to what main
 * scores as each repair lands (a regression guard); issue 12's target is 0.95 overall and 0.90 per format. A format with enough traces but no entry here fails the test, so a new format gets a floor.
 */
export const WILD_THRESHOLDS = {
  overall: 1,
  perFormat: {
    distractors: 1,
    'flow-sketch': 1,
    'log-only': 1,
    'log-prefix': 1,
    markup: 1,
    truncated: 1,
    'which-call': 1,
  } as Readonly<Record<string, number>>,
} as const;

/** A format is held to its own floor only once it has this many traces; fewer would make the share noise. */
export const MIN_TRACES_PER_FORMAT = 5;

export interface ExpectedCall {
  /** As printed in the paste; null when the paste shows no Call-ID for it and the triage must infer the call. */
  readonly callId: string | null;
  readonly code: number;
  readonly method: string;
}

export interface WildTrace {
  /** Path under test/fixtures/wild/, `<format>/<slug>.txt`. */
  readonly file: string;
  /** The public thread the paste was copied from. */
  readonly source: string;
  readonly format: string;
  readonly expected: readonly ExpectedCall[];
  readonly note: string;
}

export interface WildManifest {
  readonly traces: readonly WildTrace[];
}

export const WILD_ROOT = new URL('../../fixtures/wild/', import.meta.url);

export function readManifest(): WildManifest {
  return JSON.parse(readFileSync(new URL('manifest.json', WILD_ROOT), 'utf8')) as WildManifest;
}

export function traceExists(t: WildTrace): boolean {
  return existsSync(new URL(t.file, WILD_ROOT));
}

/** One failing call as the triage reported it. */
export interface ReportedFailure {
  readonly callId: string;
  readonly code: number;
}

/**
 * The failing calls a report names: every call whose outcome the triage decided is a failure, with the code of
 * the response it blames. This is what a user reads at the top of the answer, so it is what the corpus scores.
 */
export function reportedFailures(report: TriageReport): ReportedFailure[] {
  const out: ReportedFailure[] = [];
  for (const { call } of report.calls) {
    if (call.failure === undefined) continue;
    out.push({ callId: call.callId, code: call.failure.message.status ?? 0 });
  }
  return out;
}

/**
 * Whether an expected failing call is among those reported: same code, and the same Call-ID (exact, RFC 3261
 * §20.8 compares it case-sensitively). An expected call without a Call-ID matches any reported failure with
 * its code, since the triage has to infer which call the orphan response belongs to.
 */
export function isFound(expected: ExpectedCall, reported: readonly ReportedFailure[]): boolean {
  return reported.some((r) => r.code === expected.code && (expected.callId === null || r.callId === expected.callId));
}

export interface TraceScore {
  readonly trace: WildTrace;
  readonly found: number;
  readonly expected: number;
  readonly reported: readonly ReportedFailure[];
  readonly missed: readonly ExpectedCall[];
}

export interface FormatScore {
  readonly format: string;
  readonly traces: number;
  readonly found: number;
  readonly expected: number;
  /** found / expected. */
  readonly share: number;
}

export interface WildScore {
  readonly overall: FormatScore;
  readonly formats: readonly FormatScore[];
  readonly traces: readonly TraceScore[];
}

/** Runs the same engine as `siptriage triage --json FILE` (triageBytes on the file's bytes) over one trace. */
export function scoreTrace(engine: Engine, trace: WildTrace): TraceScore {
  const bytes = readFileSync(new URL(trace.file, WILD_ROOT));
  const reported = reportedFailures(engine.triageBytes(bytes, trace.file).report);
  const missed = trace.expected.filter((e) => !isFound(e, reported));
  return { trace, found: trace.expected.length - missed.length, expected: trace.expected.length, reported, missed };
}

export function scoreCorpus(manifest: WildManifest = readManifest(), engine: Engine = createEngine(loadKnowledge())): WildScore {
  const traces = manifest.traces.map((t) => scoreTrace(engine, t));
  const byFormat = new Map<string, TraceScore[]>();
  for (const s of traces) {
    let list = byFormat.get(s.trace.format);
    if (list === undefined) byFormat.set(s.trace.format, (list = []));
    list.push(s);
  }
  const formats = [...byFormat.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([format, list]) => sum(format, list));
  return { overall: sum('overall', traces), formats, traces };
}

function sum(format: string, list: readonly TraceScore[]): FormatScore {
  const found = list.reduce((n, s) => n + s.found, 0);
  const expected = list.reduce((n, s) => n + s.expected, 0);
  return { format, traces: list.length, found, expected, share: expected === 0 ? 0 : found / expected };
}
