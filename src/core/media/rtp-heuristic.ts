import type { RtpHeader } from './rtp-header.js';

/** A packet kept while its flow is on probation, to be counted once the flow is taken as RTP. */
export interface HeldPacket {
  readonly bytes: Uint8Array;
  readonly time: number;
  readonly frame: number;
}

const CONFIRM = 4;
const MAX_FAILURES = 16;

/**
 * Probation for UDP flows that no SDP announced, in the spirit of RFC 3550 §A.1's MIN_SEQUENTIAL: a flow is
 * RTP only after four packets in a row of version 2 with one SSRC, one payload type outside the RTCP range,
 * sequence numbers going up by one and timestamps that move forward by less than a few seconds of audio.
 * Random UDP (DNS, games, VPNs) almost never passes that; a flow that keeps failing is given up on.
 */
export class FlowProbation {
  readonly held: HeldPacket[] = [];
  failures = 0;
  #ssrc = 0;
  #pt = 0;
  #seq = 0;
  #ts = 0;

  /** True once the flow is accepted; the held packets (this one included) are then the caller's to replay. */
  offer(h: RtpHeader, b: Uint8Array, time: number, frame: number): boolean {
    const plausible = h.payloadType < 72 || h.payloadType > 76;
    const last = this.held.length === 0 ? undefined : this.held[this.held.length - 1];
    const follows =
      last !== undefined &&
      h.ssrc === this.#ssrc &&
      h.payloadType === this.#pt &&
      h.sequence === ((this.#seq + 1) & 0xffff) &&
      ((h.timestamp - this.#ts) >>> 0) < 0x40000 &&
      time >= last.time;
    if (!plausible || h.payloadLength <= 0) {
      this.failures++;
      this.held.length = 0;
      return false;
    }
    if (!follows) {
      if (this.held.length > 0) this.failures++;
      this.held.length = 0;
    }
    this.#ssrc = h.ssrc;
    this.#pt = h.payloadType;
    this.#seq = h.sequence;
    this.#ts = h.timestamp;
    // Copied: the capture reader reuses the packet's memory once the call returns.
    this.held.push({ bytes: b.slice(), time, frame });
    return this.held.length >= CONFIRM;
  }

  get givenUp(): boolean {
    return this.failures >= MAX_FAILURES;
  }
}
