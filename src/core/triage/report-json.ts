import type { TraceEntry } from './call.js';
import type { CallReport, TriageReport } from './triage.js';

export interface TriageJson {
  readonly format: string;
  readonly messages: number;
  readonly calls: readonly {
    readonly callId: string;
    readonly method: string;
    readonly outcome: string;
    readonly final: { readonly code: number; readonly reason: string } | null;
    /** Set when the final response was not printed whole but inferred from a line of the paste. */
    readonly inferred: { readonly line: number; readonly text: string; readonly basis: string } | null;
    readonly findings: readonly { readonly id: string; readonly severity: string; readonly title: string; readonly detail: string }[];
  }[];
  readonly responses: readonly { readonly code: number; readonly reason: string; readonly method: string; readonly cseq: number | null; readonly callId: string }[];
  readonly problems: readonly { readonly line: number | null; readonly code: string; readonly message: string }[];
}

export type CallJson = TriageJson['calls'][number];
export type ResponseJson = TriageJson['responses'][number];

/** The stable, documented JSON form of a report (siptriage triage --json). Retransmissions are listed once. */
export function triageJson(report: TriageReport): TriageJson {
  return {
    format: report.format,
    messages: report.entries.length,
    calls: report.calls.map(callJson),
    responses: report.entries.filter(listedResponse).map(responseJson),
    problems: report.problems.map(problemJson),
  };
}

export function callJson({ call, findings }: CallReport): CallJson {
  return {
    callId: call.callId,
    method: call.method,
    outcome: call.outcome,
    final: call.final === undefined ? null : { code: call.final.message.status ?? 0, reason: call.final.message.reason ?? '' },
    inferred: call.final?.message.meta.inferred ?? null,
    findings: findings.map((f) => ({ id: f.id, severity: f.severity, title: f.title, detail: f.detail })),
  };
}

/** Whether an entry is listed under responses: a response, and not a retransmission of one. */
export function listedResponse(e: TraceEntry): boolean {
  return e.message.isResponse && !e.retransmission;
}

export function responseJson(e: TraceEntry): ResponseJson {
  return { code: e.message.status ?? 0, reason: e.message.reason ?? '', method: e.message.cseq?.method ?? '', cseq: e.message.cseq?.seq ?? null, callId: e.message.callId };
}

export function problemJson(p: TriageReport['problems'][number]): TriageJson['problems'][number] {
  return { line: p.line ?? null, code: p.code, message: p.message };
}
