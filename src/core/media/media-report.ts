import type { Problem } from '../result.js';
import { codecImpairment, mosFromR, rating } from './e-model.js';
import { endpoint } from './endpoint.js';
import { JITTER_BUFFER_MS, type FoundBy, type MediaStream } from './media-stream.js';
import type { RtcpFlows, RtcpReportSummary } from './rtcp-flows.js';
import type { TelephoneEvent } from './telephone-events.js';

/** The inputs of a MOS estimate, shown with it so that nobody takes it for a measurement. */
export interface MosEstimate {
  readonly mos: number;
  readonly r: number;
  readonly codec: string;
  /** Lost plus late-discarded packets, in percent of those expected. */
  readonly lossPercent: number;
  readonly oneWayDelayMs: number;
  /** 'rtcp' when half the RTCP round trip gave the network delay, 'assumed' when it was taken as 0. */
  readonly delayFrom: 'rtcp' | 'assumed';
  readonly jitterBufferMs: number;
}

export interface RtpStreamReport {
  readonly ssrc: number;
  readonly payloadType: number;
  /** Codec name from the SDP or the static table; "" when unknown. */
  readonly codec: string;
  readonly clockRate: number;
  readonly src: string;
  readonly srcHost: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstHost: string;
  readonly dstPort: number;
  readonly foundBy: FoundBy;
  readonly callId: string | undefined;
  readonly packets: number;
  readonly expected: number;
  /** As Wireshark counts it: expected − received (negative with duplicates). */
  readonly lost: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly sequenceErrors: number;
  readonly minDeltaMs: number;
  readonly meanDeltaMs: number;
  readonly maxDeltaMs: number;
  readonly meanJitterMs: number;
  readonly maxJitterMs: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly firstFrame: number;
  readonly payloadTypes: readonly number[];
  readonly comfortNoise: number;
  readonly discarded: number;
  /** Voice packets whose size was checked against the codec's frame size, and how many were plain or had an SRTP tag. */
  readonly sizing: { readonly checked: number; readonly plain: number; readonly tagged: number };
  readonly events: readonly TelephoneEvent[];
  /** Undefined when G.113 gives no impairment values for the codec. */
  readonly mos: MosEstimate | undefined;
}

export interface MediaReport {
  readonly streams: readonly RtpStreamReport[];
  readonly rtcp: readonly RtcpReportSummary[];
  /** Time of the last packet or message seen, for "how long after the answer" questions. */
  readonly endAt: number | undefined;
  readonly problems: readonly Problem[];
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

export function streamReport(s: MediaStream, rtcp: RtcpFlows): RtpStreamReport {
  const st = s.stats;
  const codec = s.codec;
  const base = {
    ssrc: s.ssrc,
    payloadType: s.mainPayloadType,
    codec: codec.name,
    clockRate: codec.clockRate,
    src: endpoint(s.src, s.srcPort),
    srcHost: s.src,
    srcPort: s.srcPort,
    dst: endpoint(s.dst, s.dstPort),
    dstHost: s.dst,
    dstPort: s.dstPort,
    foundBy: s.foundBy,
    callId: s.callId,
    packets: st.packets,
    expected: st.expected,
    lost: st.lost,
    duplicates: s.sequence.duplicates,
    outOfOrder: s.sequence.outOfOrder,
    sequenceErrors: st.sequenceErrors,
    minDeltaMs: round(Math.max(st.minDelta, 0)),
    meanDeltaMs: round(st.meanDelta),
    maxDeltaMs: round(st.maxDelta),
    meanJitterMs: round(st.meanJitter),
    maxJitterMs: round(st.maxJitter),
    firstAt: st.firstAt,
    lastAt: st.lastAt,
    firstFrame: s.firstFrame,
    payloadTypes: [...s.payloadTypes],
    comfortNoise: s.comfortNoise,
    discarded: s.discarded,
    sizing: { checked: s.sized, plain: s.plainSized, tagged: s.taggedSized },
    events: [...s.events.events],
  };
  return { ...base, mos: estimate(base, rtcp.summaries().filter((r) => r.source === s.ssrc)) };
}

/**
 * What the receiver of this stream likely hears, by the E-model: the codec's Ie/Bpl, loss plus packets a
 * 60 ms jitter buffer would have dropped, and a one-way delay of half the RTCP round trip (or 0 when no
 * RTCP told it) plus the jitter buffer, the packetisation interval and the codec's own delay.
 */
function estimate(s: Omit<RtpStreamReport, 'mos'>, reports: readonly RtcpReportSummary[]): MosEstimate | undefined {
  const impairment = codecImpairment(s.codec);
  if (impairment === undefined || s.expected <= 1) return undefined;
  const lossPercent = Math.min(100, (100 * (Math.max(0, s.lost) + s.discarded)) / s.expected);
  const rtt = reports.map((r) => r.rttMs).find((x) => x !== undefined);
  const packetisation = s.meanDeltaMs >= 5 && s.meanDeltaMs <= 120 ? s.meanDeltaMs : 20;
  const oneWayDelayMs = (rtt === undefined ? 0 : rtt / 2) + JITTER_BUFFER_MS + packetisation + impairment.codecDelayMs;
  const r = rating({ ta: oneWayDelayMs, ie: impairment.ie, bpl: impairment.bpl, ppl: lossPercent });
  return {
    mos: round(mosFromR(r), 2),
    r: round(r, 1),
    codec: impairment.label,
    lossPercent: round(lossPercent, 2),
    oneWayDelayMs: round(oneWayDelayMs, 1),
    delayFrom: rtt === undefined ? 'assumed' : 'rtcp',
    jitterBufferMs: JITTER_BUFFER_MS,
  };
}

/** The streams a call's SDP announced. */
export function callMedia(report: MediaReport, callId: string): readonly RtpStreamReport[] {
  return report.streams.filter((s) => s.callId === callId);
}
