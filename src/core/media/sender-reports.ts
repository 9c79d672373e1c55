import type { ReportBlock, RtcpCompound } from './rtcp-packet.js';

const HISTORY = 8;

/**
 * The sender reports seen per SSRC (the middle 32 bits of each SR's NTP time, and when it passed the
 * capture point), for round trips from reception reports (RFC 3550 §6.4.1): the SR a report's LSR names
 * was seen going the other way, so RTT = (report time − SR time) − DLSR, on the capture's own clock whatever
 * the endpoints' clocks say. Needs the capture point near the SR's sender, as it usually is. Bounded by
 * `maxSources` SSRCs and a few SRs each.
 */
export class SenderReports {
  readonly #srs = new Map<number, { ntp: number; at: number }[]>();
  readonly #maxSources: number;

  constructor(maxSources: number) {
    this.#maxSources = maxSources;
  }

  /** Notes the SR of a compound, if it has one; a new SSRC past the bound is not followed. */
  seen(r: RtcpCompound, timeMs: number): void {
    if (r.srNtpMiddle === undefined) return;
    let list = this.#srs.get(r.ssrc);
    if (list === undefined) {
      if (this.#srs.size >= this.#maxSources) return;
      list = [];
      this.#srs.set(r.ssrc, list);
    }
    list.push({ ntp: r.srNtpMiddle, at: timeMs });
    if (list.length > HISTORY) list.shift();
  }

  /** The round trip a report block gives, in ms; undefined without its SR, or when negative (the capture point was not between the two). */
  roundTrip(block: ReportBlock, timeMs: number): number | undefined {
    const sr = block.lsr === 0 ? undefined : this.#srs.get(block.ssrc)?.find((x) => x.ntp === block.lsr);
    if (sr === undefined) return undefined;
    const rtt = timeMs - sr.at - (block.dlsr * 1000) / 65536;
    return rtt >= 0 ? rtt : undefined;
  }
}
