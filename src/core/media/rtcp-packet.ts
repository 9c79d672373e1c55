/** A reception report block (RFC 3550 §6.4.1): what one receiver says about one source. */
export interface ReportBlock {
  /** Who the report is about. */
  readonly ssrc: number;
  /** Fraction lost since the previous report, 0–1. */
  readonly fractionLost: number;
  /** Cumulative packets lost (24-bit signed: duplicates can make it negative). */
  readonly cumulativeLost: number;
  readonly highestSeq: number;
  /** Interarrival jitter in timestamp units of the source's payload. */
  readonly jitter: number;
  /** Middle 32 bits of the NTP time of the last SR received from the source; 0 when none yet. */
  readonly lsr: number;
  /** Delay since that SR, in 1/65536 s. */
  readonly dlsr: number;
}

/** RTCP XR VoIP Metrics (RFC 3611 §4.7); fields the sender marks unavailable are left out. */
export interface VoipMetrics {
  readonly ssrc: number;
  readonly lossRate: number;
  readonly discardRate: number;
  readonly roundTripMs?: number;
  readonly endSystemDelayMs?: number;
  readonly rFactor?: number;
  readonly mosLq?: number;
  readonly mosCq?: number;
  readonly jitterBufferNominalMs: number;
  readonly jitterBufferMaxMs: number;
}

export interface RtcpCompound {
  /** SSRC of the sender of this compound packet. */
  readonly ssrc: number;
  /** Middle 32 bits of the SR's NTP timestamp, when the compound has a sender report. */
  readonly srNtpMiddle?: number;
  readonly senderPackets?: number;
  readonly reports: readonly ReportBlock[];
  readonly voip: readonly VoipMetrics[];
  readonly bye: boolean;
}

const SR = 200;
const RR = 201;
const BYE = 203;
const XR = 207;
const XR_VOIP_METRICS = 7;

const u32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;

/**
 * Reads a compound RTCP packet (RFC 3550 §6.1). Strict: every packet in it must be version 2 with a length
 * that fits, and the first must be SR or RR (or XR, which some endpoints send alone), or it is not RTCP.
 */
export function readRtcp(b: Uint8Array): RtcpCompound | undefined {
  let pos = 0;
  let ssrc: number | undefined;
  let srNtpMiddle: number | undefined;
  let senderPackets: number | undefined;
  let bye = false;
  const reports: ReportBlock[] = [];
  const voip: VoipMetrics[] = [];
  while (pos + 4 <= b.length) {
    if (b[pos]! >> 6 !== 2) return undefined;
    const count = b[pos]! & 0x1f;
    const type = b[pos + 1]!;
    const end = pos + (u16(b, pos + 2) + 1) * 4;
    if (end > b.length || type < 192 || type > 223) return undefined;
    if (pos === 0 && type !== SR && type !== RR && type !== XR) return undefined;
    if (type === SR || type === RR) {
      let at = pos + 8;
      if (end < at) return undefined;
      ssrc ??= u32(b, pos + 4);
      if (type === SR) {
        if (end < pos + 28) return undefined;
        srNtpMiddle = ((u16(b, pos + 10) << 16) | u16(b, pos + 12)) >>> 0;
        senderPackets = u32(b, pos + 20);
        at = pos + 28;
      }
      for (let i = 0; i < count && at + 24 <= end; i++, at += 24) {
        const cum = (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!;
        reports.push({
          ssrc: u32(b, at),
          fractionLost: b[at + 4]! / 256,
          cumulativeLost: cum & 0x800000 ? cum - 0x1000000 : cum,
          highestSeq: u32(b, at + 8),
          jitter: u32(b, at + 12),
          lsr: u32(b, at + 16),
          dlsr: u32(b, at + 20),
        });
      }
    } else if (type === XR && end >= pos + 8) {
      ssrc ??= u32(b, pos + 4);
      readXrBlocks(b, pos + 8, end, voip);
    } else if (type === BYE) bye = true;
    pos = end;
  }
  if (ssrc === undefined || pos !== b.length) return undefined;
  return {
    ssrc,
    ...(srNtpMiddle === undefined ? {} : { srNtpMiddle }),
    ...(senderPackets === undefined ? {} : { senderPackets }),
    reports,
    voip,
    bye,
  };
}

// RFC 3611 §3: block type, type-specific byte, length in 32-bit words after this header.
function readXrBlocks(b: Uint8Array, start: number, end: number, out: VoipMetrics[]): void {
  let at = start;
  while (at + 4 <= end) {
    const type = b[at]!;
    const next = at + 4 + u16(b, at + 2) * 4;
    if (next > end) return;
    if (type === XR_VOIP_METRICS && next - at >= 36) {
      const rtt = u16(b, at + 16);
      const esd = u16(b, at + 18);
      const r = b[at + 24]!;
      const lq = b[at + 26]!;
      const cq = b[at + 27]!;
      out.push({
        ssrc: u32(b, at + 4),
        lossRate: b[at + 8]! / 256,
        discardRate: b[at + 9]! / 256,
        // §4.7.3–4.7.6: 0 means not measured for the delays, 127 unavailable for R and MOS (MOS in tenths).
        ...(rtt === 0 ? {} : { roundTripMs: rtt }),
        ...(esd === 0 ? {} : { endSystemDelayMs: esd }),
        ...(r === 127 ? {} : { rFactor: r }),
        ...(lq === 127 ? {} : { mosLq: lq / 10 }),
        ...(cq === 127 ? {} : { mosCq: cq / 10 }),
        jitterBufferNominalMs: u16(b, at + 30),
        jitterBufferMaxMs: u16(b, at + 32),
      });
    }
    at = next;
  }
}
