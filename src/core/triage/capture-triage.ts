import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { CaptureReader } from '../capture/read-capture.js';
import type { CaptureLimits } from '../capture/capture-limits.js';
import type { MediaAnalyzer } from '../media/media-analyzer.js';
import { Redactor, type RedactOptions } from '../redact.js';
import type { Problem } from '../result.js';
import { BoundedReport, DEFAULT_DETAILED_CALLS, type TriageTotals } from './bounded-report.js';
import type { LegOptions } from '../calls/leg-keys.js';
import type { TraceEntry } from './call.js';
import { CallStream, type CallStreamLimits } from './call-stream.js';
import { groupVerdict, type LegGroup } from './join-legs.js';
import { DEFAULT_MAX_LEG_CALLS, legCallOf, LegJoiner } from './leg-joiner.js';
import { evaluateRules, type CallReport, type TriageReport } from './triage.js';

export interface CaptureTriageOptions {
  readonly redact?: RedactOptions;
  readonly captureLimits?: Partial<CaptureLimits>;
  readonly callLimits?: Partial<CallStreamLimits>;
  /** Calls kept in full detail in the report (the rest are counted in the totals). */
  readonly detailed?: number;
  /** Every judged call, for callers that stream all of them (the CLI) or count them (stats). */
  readonly onCall?: (report: CallReport) => void;
  readonly onEntry?: (entry: TraceEntry) => void;
  /**
   * Measures RTP and RTCP in the same pass. Media is only known whole at the end, so calls judged on the
   * way (`onCall`, the totals) go without media findings; the calls kept in full are judged again with it.
   */
  readonly media?: MediaAnalyzer;
  /** How legs are joined, as for a text trace (triageMessages); without it calls are not joined. */
  readonly legs?: LegOptions;
  /** Calls remembered for joining legs (each by its keys and a few words of verdict); later ones are counted, not joined. */
  readonly maxLegCalls?: number;
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
  readonly #kb: KnowledgeBase;
  readonly #redact: RedactOptions | undefined;
  readonly #media: MediaAnalyzer | undefined;
  readonly #legs: LegOptions | undefined;
  readonly #joiner: LegJoiner;
  readonly #parseProblems: Problem[] = [];
  #moreParseProblems = 0;

  constructor(kb: KnowledgeBase, options: CaptureTriageOptions = {}) {
    this.#joiner = new LegJoiner(options.maxLegCalls ?? DEFAULT_MAX_LEG_CALLS);
    this.#bounded = new BoundedReport(options.detailed ?? DEFAULT_DETAILED_CALLS, (leg) => this.#joiner.root(leg));
    this.#onCall = options.onCall;
    this.#kb = kb;
    this.#redact = options.redact;
    this.#media = options.media;
    this.#legs = options.legs;
    const redactor = new Redactor(options.redact);
    // Addresses in a leg verdict are masked as a text trace's are (triage.ts).
    const show = (a: string): string => (redactor.options.addresses ? redactor.address(a) : a);
    this.#calls = new CallStream(kb, {
      ...(options.redact === undefined ? {} : { redact: options.redact }),
      ...(options.callLimits === undefined ? {} : { limits: options.callLimits }),
      ...(options.onEntry === undefined ? {} : { onEntry: options.onEntry }),
      onCall: (r) => {
        // Only the call's keys and the words of its verdict as a leg stay once it is let go.
        const leg = this.#legs === undefined ? undefined : this.#joiner.add(legCallOf(kb, r.call, this.#legs, show));
        this.#bounded.add(r, leg);
        this.#onCall?.(r);
      },
    });
    // Messages are not kept by the reader here, so its cap on kept messages does not apply.
    this.#reader = new CaptureReader({
      limits: { maxMessages: Number.MAX_SAFE_INTEGER, ...options.captureLimits },
      ...(options.media === undefined ? {} : { media: options.media }),
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

  /** What the reader, the open calls and the leg joiner hold right now. */
  get held(): { readonly fileBytes: number; readonly openCalls: number; readonly openBytes: number; readonly legCalls: number } {
    return { fileBytes: this.#reader.held.fileBytes, openCalls: this.#calls.held.calls, openBytes: this.#calls.held.bytes, legCalls: this.#joiner.size };
  }

  end(): CaptureTriageResult {
    const read = this.#reader.end();
    this.#calls.end();
    const stats = this.#calls.stats;
    const media = this.#media?.finish();
    const problems: Problem[] = [...read.problems, ...this.#parseProblems, ...(media?.problems ?? [])];
    if (this.#moreParseProblems > 0) problems.push({ code: 'more-problems', message: `more problems in SIP messages were not listed` });
    if (stats.judgedEarly > 0) {
      problems.push({ code: 'calls-judged-early', message: `${stats.judgedEarly} calls were judged before they ended: too many calls were in progress at once to follow them all` });
    }
    if (stats.dropped > 0) problems.push({ code: 'call-too-long', message: `${stats.dropped} messages of very long calls were counted but not examined` });
    const unjoined = this.#joiner.unjoined;
    if (unjoined > 0) problems.push({ code: 'legs-not-joined', message: `${unjoined} calls were not looked at for legs of one call through a B2BUA: the capture holds more calls than are remembered for joining` });
    const groups = this.#joiner.groups();
    const found = this.#bounded.report(read.format, problems);
    // A group is shown when every leg of it is among the calls kept, so its ladder and cards are whole; a
    // capture whose calls are all kept so shows the legs a text trace of the same messages would.
    const keptIds = new Set(found.calls.map((c) => c.call.callId));
    const legs: LegGroup[] = groups.filter((g) => g.every((l) => keptIds.has(l.callId))).map(groupVerdict);
    const kept = legs.length === 0 ? found : { ...found, legs };
    const totals = this.#bounded.totals(stats, { groups: groups.length, unjoined });
    if (media === undefined) return { report: kept, totals };
    const redactor = new Redactor(this.#redact);
    const calls = kept.calls.map(({ call }) => ({ call, findings: evaluateRules(this.#kb, call, redactor, media) }));
    return { report: { ...kept, calls, media }, totals };
  }
}
