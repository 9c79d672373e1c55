import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { Redactor, type RedactOptions } from '../redact.js';
import type { Problem } from '../result.js';
import { callMedia, type MediaReport } from '../media/media-report.js';
import type { SipMessage } from '../sip/message.js';
import type { Repair } from '../trace/repair/repair-paste.js';
import type { Call, Outcome, TraceEntry } from './call.js';
import type { Finding, RuleContext } from './finding.js';
import { groupCalls, markRetransmissions } from './group-calls.js';
import { attachLogCauses } from './log-causes.js';
import type { LogCause } from '../trace/evidence/log-causes.js';
import { joinLegs, type LegGroup } from './join-legs.js';
import type { LegOptions } from '../calls/leg-keys.js';
import { RULES } from './rules/index.js';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export interface CallReport {
  readonly call: Call;
  readonly findings: readonly Finding[];
}

export interface TriageReport {
  /** Which reader recognised the input ("raw", "tshark", "asterisk-pjsip", "pcap", …). */
  readonly format: string;
  readonly entries: readonly TraceEntry[];
  readonly calls: readonly CallReport[];
  /** Parse problems (with line numbers) and input problems such as "too large". */
  readonly problems: readonly Problem[];
  /** RTP/RTCP measured in a capture; absent for text traces, which carry no media. */
  readonly media?: MediaReport;
  /** Guesses the reader made before parsing (a wrapped line joined, doubled spacing removed). */
  readonly repairs?: readonly Repair[];
  /** Calls that are legs of one call through a B2BUA (shared correlation header or derived Call-ID), judged. */
  readonly legs?: readonly LegGroup[];
}

export interface TriageOptions {
  readonly redact?: RedactOptions;
  readonly format?: string;
  readonly media?: MediaReport;
  readonly repairs?: readonly Repair[];
  /** Log lines stating why a call ended (trace/evidence/log-causes.ts), made findings of the call they follow. */
  readonly causes?: readonly LogCause[];
  /** How legs are joined; without it calls are not joined. */
  readonly legs?: LegOptions;
}

/** Groups messages into calls and runs every rule over each. Pure: same messages, same report. */
export function triageMessages(
  kb: KnowledgeBase,
  messages: readonly SipMessage[],
  problems: readonly Problem[] = [],
  options: TriageOptions = {},
): TriageReport {
  const redactor = new Redactor(options.redact);
  const entries = markRetransmissions(orderByTime(messages));
  const media = options.media;
  const judged = groupCalls(entries).map((call) => ({ call, findings: evaluateRules(kb, call, redactor, media) }));
  // The log line is shown as evidence, so it is masked like every other quoted line.
  const causes = (options.causes ?? []).map((c) => ({ ...c, text: redactor.text(c.text) }));
  const calls = attachLogCauses(kb, judged, causes);
  const repairs = options.repairs;
  const legs = options.legs === undefined ? [] : joinLegs(kb, calls, options.legs, (a) => (redactor.options.addresses ? redactor.address(a) : a));
  return {
    format: options.format ?? 'raw',
    entries,
    calls,
    problems,
    ...(media === undefined ? {} : { media }),
    ...(repairs === undefined ? {} : { repairs }),
    ...(legs.length === 0 ? {} : { legs }),
  };
}

/** Every rule over one grouped call, most severe findings first. */
export function evaluateRules(kb: KnowledgeBase, call: Call, redactor: Redactor = new Redactor(), media?: MediaReport): Finding[] {
  const ctx: RuleContext = {
    call,
    kb,
    show: (name, value) => redactor.header(name, value),
    ...(media === undefined ? {} : { media: callMedia(media, call.callId), captureEnd: media.endAt, showAddress: (text: string) => (redactor.options.addresses ? redactor.address(text) : text) }),
  };
  const findings = RULES.flatMap((rule) => rule.evaluate(ctx));
  // Stable sort: within a severity, rule order (most decisive first) is kept.
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return findings;
}

/** Failing calls first when showing a report: that is what people pasted the trace for. */
export const OUTCOME_RANK: Readonly<Record<Outcome, number>> = {
  failed: 0,
  'no-final': 1,
  challenged: 2,
  cancelled: 3,
  redirected: 4,
  answered: 5,
};

// Traces are mostly in order already; only reorder when every message has a time (a merged capture or log).
function orderByTime(messages: readonly SipMessage[]): readonly SipMessage[] {
  if (messages.length < 2 || messages.some((m) => m.meta.time === undefined)) return messages;
  return messages
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.meta.time ?? 0) - (b.m.meta.time ?? 0) || a.i - b.i)
    .map((x) => x.m);
}
