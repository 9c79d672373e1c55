import type { MediaReport, RtpStreamReport } from '../media/media-report.js';
import type { TraceEntry } from './call.js';
import type { LegGroup } from './join-legs.js';
import type { CallReport, TriageReport } from './triage.js';

/** One RTP stream of a call, as `triage --json` gives it (captures only). */
export interface MediaStreamJson {
  /** As tshark prints it: 0x then 8 hex digits. */
  readonly ssrc: string;
  readonly payloadType: number;
  readonly codec: string;
  /** ip:port, [ipv6]:port. */
  readonly src: string;
  readonly dst: string;
  readonly packets: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly maxDeltaMs: number;
  readonly meanJitterMs: number;
  readonly maxJitterMs: number;
  /** E-model estimate (G.107) for whoever receives this stream; null when the codec has no G.113 values. */
  readonly mos: number | null;
  readonly mosInputs: { readonly r: number; readonly codec: string; readonly lossPercent: number; readonly oneWayDelayMs: number; readonly delayFrom: string; readonly jitterBufferMs: number } | null;
  readonly dtmf: readonly string[];
  readonly firstAt: string;
  readonly lastAt: string;
}

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
    /** Present for captures: the call's RTP streams. */
    readonly media?: readonly MediaStreamJson[];
  }[];
  readonly responses: readonly { readonly code: number; readonly reason: string; readonly method: string; readonly cseq: number | null; readonly callId: string }[];
  readonly problems: readonly { readonly line: number | null; readonly code: string; readonly message: string }[];
  /** What the reader repaired before parsing, so a user can see what was guessed. */
  readonly repairs: readonly { readonly line: number; readonly what: string }[];
  /** Calls that are legs of one call through a B2BUA: Call-IDs A leg first, the leg that failed first and the verdict. */
  readonly legs: readonly LegGroupJson[];
}

export interface LegGroupJson {
  readonly callIds: readonly string[];
  readonly failedFirst: string | null;
  readonly verdict: string | null;
}

export type CallJson = TriageJson['calls'][number];
export type ResponseJson = TriageJson['responses'][number];

/** The stable, documented JSON form of a report (siptriage triage --json). Retransmissions are listed once. */
export function triageJson(report: TriageReport): TriageJson {
  return {
    format: report.format,
    messages: report.entries.length,
    calls: report.calls.map((r) => callJson(r, report.media)),
    responses: report.entries.filter(listedResponse).map(responseJson),
    problems: report.problems.map(problemJson),
    repairs: (report.repairs ?? []).map((r) => ({ line: r.line, what: r.what })),
    legs: (report.legs ?? []).map(legGroupJson),
  };
}

export function legGroupJson(g: LegGroup): LegGroupJson {
  return { callIds: [...g.callIds], failedFirst: g.failedFirst ?? null, verdict: g.verdict ?? null };
}

/** One call; with the capture's media report, the RTP streams of the call too. */
export function callJson({ call, findings }: CallReport, media?: MediaReport): CallJson {
  return {
    callId: call.callId,
    method: call.method,
    outcome: call.outcome,
    final: call.final === undefined ? null : { code: call.final.message.status ?? 0, reason: call.final.message.reason ?? '' },
    inferred: call.final?.message.meta.inferred ?? null,
    findings: findings.map((f) => ({ id: f.id, severity: f.severity, title: f.title, detail: f.detail })),
    ...(media === undefined ? {} : { media: media.streams.filter((s) => s.callId === call.callId).map(streamJson) }),
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

export function streamJson(s: RtpStreamReport): MediaStreamJson {
  const { mos } = s;
  return {
    ssrc: `0x${s.ssrc.toString(16).toUpperCase().padStart(8, '0')}`,
    payloadType: s.payloadType,
    codec: s.codec,
    src: s.src,
    dst: s.dst,
    packets: s.packets,
    lost: s.lost,
    duplicates: s.duplicates,
    outOfOrder: s.outOfOrder,
    maxDeltaMs: s.maxDeltaMs,
    meanJitterMs: s.meanJitterMs,
    maxJitterMs: s.maxJitterMs,
    mos: mos?.mos ?? null,
    mosInputs: mos === undefined ? null : { r: mos.r, codec: mos.codec, lossPercent: mos.lossPercent, oneWayDelayMs: mos.oneWayDelayMs, delayFrom: mos.delayFrom, jitterBufferMs: mos.jitterBufferMs },
    dtmf: s.events.map((e) => e.key),
    firstAt: new Date(s.firstAt).toISOString(),
    lastAt: new Date(s.lastAt).toISOString(),
  };
}
