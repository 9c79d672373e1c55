import type { RtcpCompound, VoipMetrics } from './rtcp-packet.js';
import { SenderReports } from './sender-reports.js';

/** What one RTCP sender said about one source over the capture: the last report, and the worst. */
export interface RtcpReportSummary {
  readonly from: string;
  readonly to: string;
  /** The reporter's SSRC. */
  readonly reporter: number;
  /** The source reported on. */
  readonly source: number;
  readonly reports: number;
  readonly fractionLost: number;
  readonly maxFractionLost: number;
  readonly cumulativeLost: number;
  /** Interarrival jitter in milliseconds, with the source's clock rate (8 kHz when unknown). */
  readonly jitterMs: number;
  readonly maxJitterMs: number;
  /** Round trip from LSR/DLSR (RFC 3550 §6.4.1), when the matching SR is in the capture. */
  readonly rttMs: number | undefined;
  readonly maxRttMs: number | undefined;
  readonly voip: VoipMetrics | undefined;
}

type MutableSummary = { -readonly [K in keyof RtcpReportSummary]: RtcpReportSummary[K] };

/**
 * Reception reports from RTCP, with round-trip times worked out from the capture itself (sender-reports.ts).
 */
export class RtcpFlows {
  readonly #summaries = new Map<string, MutableSummary>();
  readonly #senders: SenderReports;
  readonly #maxFlows: number;
  packets = 0;
  dropped = 0;

  constructor(maxFlows: number) {
    this.#maxFlows = maxFlows;
    this.#senders = new SenderReports(maxFlows);
  }

  add(r: RtcpCompound, from: string, to: string, timeMs: number, clockRateOf: (ssrc: number) => number): void {
    this.packets++;
    this.#senders.seen(r, timeMs);
    for (const block of r.reports) {
      const key = `${r.ssrc}>${block.ssrc}`;
      let s = this.#summaries.get(key);
      if (s === undefined) {
        if (this.#summaries.size >= this.#maxFlows) {
          this.dropped++;
          continue;
        }
        s = {
          from, to, reporter: r.ssrc, source: block.ssrc, reports: 0, fractionLost: 0, maxFractionLost: 0, cumulativeLost: 0,
          jitterMs: 0, maxJitterMs: 0, rttMs: undefined, maxRttMs: undefined, voip: undefined,
        };
        this.#summaries.set(key, s);
      }
      s.reports++;
      s.fractionLost = block.fractionLost;
      s.maxFractionLost = Math.max(s.maxFractionLost, block.fractionLost);
      s.cumulativeLost = block.cumulativeLost;
      s.jitterMs = (block.jitter * 1000) / (clockRateOf(block.ssrc) || 8000);
      s.maxJitterMs = Math.max(s.maxJitterMs, s.jitterMs);
      const rtt = this.#senders.roundTrip(block, timeMs);
      if (rtt !== undefined) {
        s.rttMs = rtt;
        s.maxRttMs = Math.max(s.maxRttMs ?? 0, rtt);
      }
    }
    for (const v of r.voip) {
      const s = this.#summaries.get(`${r.ssrc}>${v.ssrc}`);
      if (s !== undefined) s.voip = v;
      else if (this.#summaries.size < this.#maxFlows) {
        this.#summaries.set(`${r.ssrc}>${v.ssrc}`, {
          from, to, reporter: r.ssrc, source: v.ssrc, reports: 0, fractionLost: v.lossRate, maxFractionLost: v.lossRate, cumulativeLost: 0,
          jitterMs: 0, maxJitterMs: 0, rttMs: v.roundTripMs, maxRttMs: v.roundTripMs, voip: v,
        });
      }
    }
  }

  summaries(): RtcpReportSummary[] {
    return [...this.#summaries.values()];
  }
}
