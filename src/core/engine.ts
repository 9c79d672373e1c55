import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { captureFormat } from './capture/read-capture.js';
import type { Card } from './card/card.js';
import { triageCards } from './card/triage-summary.js';
import { explainQuery } from './query/explain.js';
import { DEFAULT_REDACT, type RedactOptions } from './redact.js';
import { DEFAULT_MAX_TRACE_BYTES, formatBytes, readTrace, type TraceRead } from './trace/read-trace.js';
import { MediaAnalyzer } from './media/media-analyzer.js';
import type { Problem } from './result.js';
import { DEFAULT_LEG_OPTIONS, type LegOptions } from './calls/leg-keys.js';
import type { ReasonPhrases } from './trace/evidence/reason-phrases.js';
import type { TriageTotals } from './triage/bounded-report.js';
import { CaptureTriage } from './triage/capture-triage.js';
import { triageMessages, type CallReport, type TriageReport } from './triage/triage.js';

export interface EngineOptions {
  readonly maxTraceBytes: number;
  /** Largest pcap/pcapng accepted (MAX_CAPTURE_BYTES); captures are mostly media, so larger than a trace. */
  readonly maxCaptureBytes?: number;
  readonly redact: RedactOptions;
  /** How the legs of one call through a B2BUA are joined (CALLS_CORRELATION_HEADERS, CALLS_LEG_RULES). */
  readonly legs?: LegOptions;
}

export const DEFAULT_MAX_CAPTURE_BYTES = 64 * 1024 * 1024;

// File names that promise a capture: one of these without a capture's magic number is a damaged capture, not text.
const CAPTURE_NAME = /\.(?:pcap|pcapng|cap|ntar)$/i;

export interface TriageAnswer {
  /** For a capture, only the calls kept in full detail; `totals` counts them all. */
  readonly report: TriageReport;
  readonly summary: Card;
  readonly calls: readonly Card[];
  /** Every call of a capture, counted; set when the report holds only some of them. */
  readonly totals?: TriageTotals;
}

export interface TriageBytesOptions {
  /** Each call as it is judged, all of them, including those the report does not keep. */
  readonly onCall?: (report: CallReport) => void;
}

/**
 * The one core every surface calls: the CLI, the console, Slack and Discord ask the same questions and
 * get the same cards. Pure: no I/O, no platform types.
 */
export interface Engine {
  readonly kb: KnowledgeBase;
  readonly options: EngineOptions;
  explain(query: string): Card;
  triage(text: string): TriageAnswer;
  /**
   * A file or attachment: a pcap or pcapng capture (told by its magic number, whatever its name), or a
   * text trace in UTF-8.
   */
  triageBytes(bytes: Uint8Array, filename?: string, options?: TriageBytesOptions): TriageAnswer;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = { maxTraceBytes: DEFAULT_MAX_TRACE_BYTES, redact: DEFAULT_REDACT };

export function createEngine(kb: KnowledgeBase, options: EngineOptions = DEFAULT_ENGINE_OPTIONS): Engine {
  const phrases: ReasonPhrases = { reasonOf: (code) => kb.code(code)?.reason, codeOf: (phrase) => kb.phrase(phrase)?.code };
  const read = (text: string): TraceRead => readTrace(text, { maxBytes: options.maxTraceBytes, phrases });
  const answerFor = (read: TraceRead, onCall?: (report: CallReport) => void): TriageAnswer => {
    const report = triageMessages(kb, read.messages, read.problems, {
      format: read.format,
      redact: options.redact,
      legs: options.legs ?? DEFAULT_LEG_OPTIONS,
      ...(read.repairs === undefined ? {} : { repairs: read.repairs }),
      ...(read.causes === undefined ? {} : { causes: read.causes }),
    });
    if (onCall !== undefined) for (const c of report.calls) onCall(c);
    return { report, ...triageCards(kb, report, undefined, options.redact) };
  };
  return {
    kb,
    options,
    explain: (query) => explainQuery(kb, query),
    triage(text) {
      return answerFor(read(text));
    },
    triageBytes(bytes, filename, call = {}) {
      if (captureFormat(bytes) !== undefined || (filename !== undefined && CAPTURE_NAME.test(filename))) {
        const limit = options.maxCaptureBytes ?? DEFAULT_MAX_CAPTURE_BYTES;
        if (bytes.byteLength > limit) return answerFor({ format: 'none', messages: [], problems: [tooLarge(bytes.byteLength, limit, 'capture')] });
        // Read as a stream even from memory: the calls are judged as they end and only a few are kept,
        // so a capture of 100,000 calls costs what one of a few hundred does. RTP and RTCP are measured
        // in the same pass, packet by packet.
        const triage = new CaptureTriage(kb, { redact: options.redact, media: new MediaAnalyzer(), legs: options.legs ?? DEFAULT_LEG_OPTIONS, ...(call.onCall === undefined ? {} : { onCall: call.onCall }) });
        triage.push(bytes);
        const { report, totals } = triage.end();
        return { report, totals, ...triageCards(kb, report, totals, options.redact) };
      }
      if (bytes.byteLength > options.maxTraceBytes) {
        return answerFor({ format: 'none', messages: [], problems: [tooLarge(bytes.byteLength, options.maxTraceBytes)] }, call.onCall);
      }
      return answerFor(read(new TextDecoder('utf-8').decode(bytes)), call.onCall);
    },
  };
}

/**
 * How many bytes of a file or attachment to accept, by its name: a capture (.pcap, .pcapng, .cap) may be as
 * large as MAX_CAPTURE_BYTES, anything else is a text trace under MAX_TRACE_BYTES. For adapters that must
 * decide before downloading; the engine itself tells a capture by its magic number.
 */
export function uploadLimit(options: EngineOptions, filename: string | undefined): number {
  return filename !== undefined && CAPTURE_NAME.test(filename) ? (options.maxCaptureBytes ?? DEFAULT_MAX_CAPTURE_BYTES) : options.maxTraceBytes;
}

/** Whether a chat message holds SIP worth triaging: a start line somewhere in it (cheap check first). */
export function containsSip(text: string): boolean {
  if (!text.includes('SIP/2.0')) return false;
  return /(?:^|\n|[\s>:\]])(?:[A-Z]{3,} (?:sips?|tel):\S+ SIP\/2\.0\s*$|SIP\/2\.0 [1-6]\d\d\b)/m.test(text);
}

function tooLarge(size: number, limit: number, what = 'trace'): Problem {
  return { code: 'too-large', message: `the ${what} is ${formatBytes(size)}, over the ${formatBytes(limit)} limit` };
}
