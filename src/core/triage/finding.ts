import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { RtpStreamReport } from '../media/media-report.js';
import type { Call, TraceEntry } from './call.js';

export type Severity = 'info' | 'warning' | 'error';

/** Where a finding's evidence is: which message, which header, and the (redacted) text. */
export interface Evidence {
  readonly message: number;
  readonly line: number;
  readonly header?: string;
  readonly text: string;
}

export interface Finding {
  /** Stable rule id, e.g. "nat-private-address"; stored and counted, so never renamed. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly detail: string;
  readonly evidence: readonly Evidence[];
}

export interface RuleContext {
  readonly call: Call;
  readonly kb: KnowledgeBase;
  /** Shows a header value safely: credentials removed, numbers and addresses masked as configured. */
  readonly show: (header: string, value: string) => string;
  /** For a capture: the RTP streams tied to this call by its SDP (absent for text traces, which have no media). */
  readonly media?: readonly RtpStreamReport[];
  /** For a capture: the time of its last packet, to tell "no media" from "the capture stopped". */
  readonly captureEnd?: number | undefined;
  /** Shows an address (or text holding addresses) masked as configured. */
  readonly showAddress?: (text: string) => string;
}

/** A named check over one call. Rules are pure and independent; their order is the order shown. */
export interface Rule {
  readonly id: string;
  evaluate(ctx: RuleContext): Finding[];
}

/** Evidence pointing at a header of a message, or at its start line when header is omitted. */
export function evidence(ctx: RuleContext, entry: TraceEntry, header?: string, value?: string): Evidence {
  const h = header === undefined ? undefined : entry.message.headerLines(header)[0];
  if (header === undefined || (h === undefined && value === undefined)) {
    return { message: entry.index, line: entry.message.line, text: entry.message.label };
  }
  const text = value ?? h?.value ?? '';
  return { message: entry.index, line: h?.line ?? entry.message.line, header: h?.name ?? header, text: ctx.show(header, text) };
}

/** "message #3 (line 45)" for details that point at evidence. */
export function where(entry: TraceEntry): string {
  return `message #${entry.index} (line ${entry.message.line})`;
}
