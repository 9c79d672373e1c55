import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { CaptureReader } from '../capture/read-capture.js';
import type { CaptureLimits } from '../capture/capture-limits.js';
import type { RedactOptions } from '../redact.js';
import type { Problem } from '../result.js';
import { BoundedReport, DEFAULT_DETAILED_CALLS, type TriageTotals } from './bounded-report.js';
import type { TraceEntry } from './call.js';
import { CallStream, type CallStreamLimits } from './call-stream.js';
import type { CallReport, TriageReport } from './triage.js';

export interface CaptureTriageOptions {
  readonly redact?: RedactOptions;
  readonly captureLimits?: Partial<CaptureLimits>;
  readonly callLimits?: Partial<CallStreamLimits>;
  /** Calls kept in full detail in the report (the rest are counted in the totals). */
  readonly detailed?: number;
  /** Every judged call, for callers that stream all of them (the CLI) or count them (stats). */
  readonly onCall?: (report: CallReport) => void;
  readonly onEntry?: (entry: TraceEntry) => void;
}

export interface CaptureTriageResult {
  /** The calls kept in full, with their messages and the capture's problems. */
  readonly report: TriageReport;
  readonly totals: TriageTotals;
}

// Problems of SIP messages listed, as the capture reader lists its own.
const MAX_PARSE_PROBLEMS = 100;

/**
 * A capture triaged as it is read, chunk by chunk: packets → SIP messages → calls judged once quiet →
 * a bounded report. Nothing here grows with the capture beyond the reader's and the call stream's limits
 * and the `detailed` calls kept.
 */
export class CaptureTriage {
  readonly #reader: CaptureReader;
  readonly #calls: CallStream;
  readonly #bounded: BoundedReport;
  readonly #onCall: CaptureTriageOptions['onCall'];
  readonly #parseProblems: Problem[] = [];
  #moreParseProblems = 0;

  constructor(kb: KnowledgeBase, options: CaptureTriageOptions = {}) {
    this.#bounded = new BoundedReport(options.detailed ?? DEFAULT_DETAILED_CALLS);
    this.#onCall = options.onCall;
    this.#calls = new CallStream(kb, {
      ...(options.redact === undefined ? {} : { redact: options.redact }),
      ...(options.callLimits === undefined ? {} : { limits: options.callLimits }),
      ...(options.onEntry === undefined ? {} : { onEntry: options.onEntry }),
      onCall: (r) => {
        this.#bounded.add(r);
        this.#onCall?.(r);
      },
    });
    // Messages are not kept by the reader here, so its cap on kept messages does not apply.
    this.#reader = new CaptureReader({
      limits: { maxMessages: Number.MAX_SAFE_INTEGER, ...options.captureLimits },
      onMessage: (message, problems) => {
        if (this.#parseProblems.length < MAX_PARSE_PROBLEMS) {
          for (const p of problems()) {
            if (this.#parseProblems.length < MAX_PARSE_PROBLEMS) this.#parseProblems.push({ code: p.code, message: `frame ${message.meta.frame ?? '?'}: ${p.message}` });
            else this.#moreParseProblems++;
          }
        }
        this.#calls.add(message);
      },
    });
  }

  push(chunk: Uint8Array): void {
    this.#reader.push(chunk);
  }

  /** What the reader and the open calls hold right now. */
  get held(): { readonly fileBytes: number; readonly openCalls: number; readonly openBytes: number } {
    return { fileBytes: this.#reader.held.fileBytes, openCalls: this.#calls.held.calls, openBytes: this.#calls.held.bytes };
  }

  end(): CaptureTriageResult {
    const read = this.#reader.end();
    this.#calls.end();
    const stats = this.#calls.stats;
    const problems: Problem[] = [...read.problems, ...this.#parseProblems];
    if (this.#moreParseProblems > 0) problems.push({ code: 'more-problems', message: `more problems in SIP messages were not listed` });
    if (stats.judgedEarly > 0) {
      problems.push({ code: 'calls-judged-early', message: `${stats.judgedEarly} calls were judged before they ended: too many calls were in progress at once to follow them all` });
    }
    if (stats.dropped > 0) problems.push({ code: 'call-too-long', message: `${stats.dropped} messages of very long calls were counted but not examined` });
    return { report: this.#bounded.report(read.format, problems), totals: this.#bounded.totals(stats) };
  }
}
