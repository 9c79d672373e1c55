import type { PayloadFormat } from './payload-types.js';
import { isTelephoneEvent } from './payload-types.js';
import type { RtpHeader } from './rtp-header.js';

/**
 * Loss, delta and jitter of one RTP stream, measured the way Wireshark's RTP stream analysis measures them
 * (ui/tap-rtp-analysis.c), so that the numbers here match `tshark -z rtp,streams` on the same capture:
 * - lost = expected − received, expected from the first and the last-received sequence numbers with the
 *   wraps counted; duplicates make it negative, as in Wireshark;
 * - jitter is RFC 3550 §6.4.1's J += (|D| − J)/16 in milliseconds, D taken against the previous packet that
 *   was in timestamp order, with the payload's clock rate (none for telephone events or unknown types);
 * - max/mean delta and max/mean jitter skip "irregular" packets: the first, marker-bit ones (talkspurt
 *   starts), comfort noise and the packet after it, and packets whose timestamp goes backwards.
 */
export class StreamStats {
  packets = 0;
  firstAt = 0;
  lastAt = 0;
  startSeq = 0;
  #stopSeq = 0;
  #seqNum = 0;
  #cycles = 0;
  #under = false;
  /** Packets whose sequence number was not the one expected (lost before them, late, or repeated). */
  sequenceErrors = 0;
  #time = 0;
  #seqTimestamp = 0;
  #extTimestamp = 0;
  #lastTimestamp = 0;
  #pt = -1;
  jitter = 0;
  maxJitter = 0;
  meanJitter = 0;
  #delta = 0;
  minDelta = -1;
  maxDelta = 0;
  meanDelta = 0;
  /** Packets whose timestamp went backwards against the last in-order one (Wireshark's "wrong timestamp"). */
  wrongTimestamps = 0;
  /** Payload-type changes between regular payloads (comfort noise aside). */
  payloadChanges = 0;
  #regPt = -1;
  clockRate = 0;

  add(h: RtpHeader, timeMs: number, format: PayloadFormat): void {
    const ts = h.timestamp;
    if (this.packets === 0) {
      this.packets = 1;
      this.firstAt = timeMs;
      this.lastAt = timeMs;
      this.startSeq = h.sequence;
      this.#stopSeq = h.sequence;
      this.#seqNum = h.sequence;
      this.#time = timeMs;
      this.#extTimestamp = ts;
      this.#lastTimestamp = ts;
      this.#seqTimestamp = ts;
      this.#pt = h.payloadType;
      this.#regPt = h.payloadType;
      return;
    }
    // Unwrap the 32-bit timestamp against the previous packet's (the RTP dissector's extended timestamp).
    this.#extTimestamp += ((ts - this.#lastTimestamp) | 0);
    this.#lastTimestamp = ts;
    const ext = this.#extTimestamp;
    const inTime = this.#seqTimestamp <= ext;
    const seq = h.sequence;
    if (!inTime) this.wrongTimestamps++;

    // Wrap counting, as Wireshark does it: below the start number means a new cycle.
    if (inTime && !this.#under && (seq < this.startSeq || (seq === 0 && this.#stopSeq === 65535))) {
      this.#cycles++;
      this.#under = true;
    } else if (inTime && this.#under && seq > this.startSeq) this.#under = false;

    if (inTime && (this.#seqNum + 1 === seq || (this.#seqNum === 65535 && seq === 0))) this.#seqNum = seq;
    else if (inTime && (this.#seqNum + 1 < seq || this.#seqNum - seq > 0xff00)) {
      this.#seqNum = seq;
      this.sequenceErrors++;
    } else if (this.#seqNum + 1 > seq) this.sequenceErrors++;

    // Wireshark tells comfort noise by the static types only (13, and 19 from before RFC 3389).
    const cn = h.payloadType === 13 || h.payloadType === 19;
    const followsCn = this.#pt === 13 || this.#pt === 19;
    this.#pt = h.payloadType;
    const clockRate = isTelephoneEvent(format) ? 0 : format.clockRate;

    let current = 0;
    if (clockRate !== 0) {
      this.clockRate = clockRate;
      // Wireshark divides by the rate in kHz as an integer (8000 → 8).
      const nominal = (ext - this.#seqTimestamp) / Math.trunc(clockRate / 1000);
      const diff = Math.abs(timeMs - (this.#time + nominal));
      current = (15 * this.jitter + diff) / 16;
      this.jitter = current;
    }
    this.#delta = timeMs - this.#time;

    if (!h.marker && !cn && inTime && !followsCn) {
      const n = this.packets;
      if (this.#delta > this.maxDelta) this.maxDelta = this.#delta;
      if (this.minDelta === -1 || this.#delta < this.minDelta) this.minDelta = this.#delta;
      this.meanDelta = (this.meanDelta * (n - 1) + this.#delta) / n;
      if (clockRate !== 0) {
        if (this.jitter > this.maxJitter) this.maxJitter = this.jitter;
        this.meanJitter = (this.meanJitter * (n - 1) + current) / n;
      }
    }
    if (!cn) {
      if (this.#regPt !== -1 && h.payloadType !== this.#regPt) this.payloadChanges++;
      this.#regPt = h.payloadType;
    }
    if (inTime) {
      this.#time = timeMs;
      this.#seqTimestamp = ext;
    }
    this.#stopSeq = seq;
    this.packets++;
    this.lastAt = timeMs;
  }

  /** Packets the sequence numbers say were sent, from the first to the last one received. */
  get expected(): number {
    return this.packets === 0 ? 0 : this.#stopSeq + this.#cycles * 0x10000 - this.startSeq + 1;
  }

  get lost(): number {
    return this.expected - this.packets;
  }
}
