import { isComfortNoise, isTelephoneEvent, payloadFormat, type PayloadFormat } from './payload-types.js';
import type { RtpHeader } from './rtp-header.js';
import { SequenceWindow } from './sequence-window.js';
import { StreamStats } from './stream-stats.js';
import { TelephoneEvents } from './telephone-events.js';

/** How a stream was recognised: by the SDP of a call in the capture, or by the look of its packets alone. */
export type FoundBy = 'sdp' | 'heuristic';

export type RtpMap = ReadonlyMap<number, { readonly name: string; readonly rate: number | undefined }>;

/**
 * The playout delay assumed for the MOS estimate: a fixed 60 ms jitter buffer. A packet arriving more than
 * this after the earliest-possible arrival its timestamp implies is counted as discarded, as late as lost.
 */
export const JITTER_BUFFER_MS = 60;
const MAX_PAYLOAD_TYPES = 8;

/** One RTP stream: one SSRC from one source address and port to one destination address and port. */
export class MediaStream {
  readonly stats = new StreamStats();
  readonly sequence = new SequenceWindow();
  readonly events = new TelephoneEvents();
  readonly payloadTypes: number[] = [];
  comfortNoise = 0;
  /** Packets later than the assumed jitter buffer allows (see JITTER_BUFFER_MS). */
  discarded = 0;
  firstFrame = 0;
  #formatPt = -1;
  #format: PayloadFormat = payloadFormat(-1);
  #mainFormat: PayloadFormat | undefined;
  #mainPt = -1;
  #lastTs = 0;
  #extTs = 0;
  #minTransit = Number.POSITIVE_INFINITY;

  constructor(
    readonly ssrc: number,
    readonly src: string,
    readonly srcPort: number,
    readonly dst: string,
    readonly dstPort: number,
    readonly foundBy: FoundBy,
    public callId: string | undefined,
    public rtpmap: RtpMap | undefined,
  ) {}

  add(b: Uint8Array, h: RtpHeader, timeMs: number, frame: number): void {
    const pt = h.payloadType;
    if (pt !== this.#formatPt) {
      this.#formatPt = pt;
      this.#format = payloadFormat(pt, this.rtpmap);
      if (this.payloadTypes.length < MAX_PAYLOAD_TYPES && !this.payloadTypes.includes(pt)) this.payloadTypes.push(pt);
    }
    const format = this.#format;
    if (this.stats.packets === 0) {
      this.firstFrame = frame;
      this.#lastTs = h.timestamp;
      this.#extTs = h.timestamp;
    } else {
      this.#extTs += (h.timestamp - this.#lastTs) | 0;
      this.#lastTs = h.timestamp;
    }
    this.stats.add(h, timeMs, format);
    this.sequence.add(h.sequence);
    if (isTelephoneEvent(format)) {
      this.events.add(b, h, timeMs, format.clockRate);
      return;
    }
    if (isComfortNoise(pt, format)) {
      this.comfortNoise++;
      return;
    }
    if (this.#mainFormat === undefined) {
      this.#mainFormat = format;
      this.#mainPt = pt;
    }
    if (format.clockRate > 0) {
      // Transit time up to a constant (clock offset): how late this packet is against the earliest one.
      const transit = timeMs - (this.#extTs * 1000) / format.clockRate;
      if (transit < this.#minTransit) this.#minTransit = transit;
      else if (transit - this.#minTransit > JITTER_BUFFER_MS) this.discarded++;
    }
  }

  /** The voice (or video) payload: the first type that is neither comfort noise nor a telephone event. */
  get mainPayloadType(): number {
    return this.#mainPt === -1 ? (this.payloadTypes[0] ?? -1) : this.#mainPt;
  }

  get codec(): PayloadFormat {
    return this.#mainFormat ?? payloadFormat(this.mainPayloadType, this.rtpmap);
  }
}
