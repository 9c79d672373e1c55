import type { TriageReport } from './triage.js';

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

/** The stable, documented JSON form of a report (siptriage triage --json). Retransmissions are listed once. */
export function triageJson(report: TriageReport): TriageJson {
  return {
    format: report.format,
    messages: report.entries.length,
    calls: report.calls.map(({ call, findings }) => ({
      callId: call.callId,
      method: call.method,
      outcome: call.outcome,
      final: call.final === undefined ? null : { code: call.final.message.status ?? 0, reason: call.final.message.reason ?? '' },
      inferred: call.final?.message.meta.inferred ?? null,
      findings: findings.map((f) => ({ id: f.id, severity: f.severity, title: f.title, detail: f.detail })),
    })),
    responses: report.entries
      .filter((e) => e.message.isResponse && !e.retransmission)
      .map((e) => ({
        code: e.message.status ?? 0,
        reason: e.message.reason ?? '',
        method: e.message.cseq?.method ?? '',
        cseq: e.message.cseq?.seq ?? null,
        callId: e.message.callId,
      })),
    problems: report.problems.map((p) => ({ line: p.line ?? null, code: p.code, message: p.message })),
  };
}
