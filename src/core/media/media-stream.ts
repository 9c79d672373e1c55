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
  /** Voice packets whose size could be checked against their codec's frame size (see #size). */
  sized = 0;
  /** …of which exactly the codec's payload: plain RTP. */
  plainSized = 0;
  /** …of which the payload plus 4 or 10 bytes: an SRTP authentication tag (RFC 3711 §4.2). */
  taggedSized = 0;
  #prevSeq = -1;
  #prevTs = 0;
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
    this.#size(h, format);
    if (format.clockRate > 0) {
      // Transit time up to a constant (clock offset): how late this packet is against the earliest one.
      const transit = timeMs - (this.#extTs * 1000) / format.clockRate;
      if (transit < this.#minTransit) this.#minTransit = transit;
      else if (transit - this.#minTransit > JITTER_BUFFER_MS) this.discarded++;
    }
  }

  // Bytes per timestamp tick of the codecs whose frames have a fixed size: G.711 and G.722 one, G.729 1/8.
  #size(h: RtpHeader, format: PayloadFormat): void {
    const seq = h.sequence;
    const follows = this.#prevSeq !== -1 && seq === ((this.#prevSeq + 1) & 0xffff);
    const delta = (h.timestamp - this.#prevTs) >>> 0;
    this.#prevSeq = seq;
    this.#prevTs = h.timestamp;
    if (!follows || delta === 0 || delta > 2400) return;
    const name = format.name;
    const plain = name === 'PCMU' || name === 'PCMA' || name === 'G722' ? delta : name === 'G729' ? delta / 8 : 0;
    if (plain === 0) return;
    this.sized++;
    const extra = h.payloadLength - plain;
    if (extra === 0) this.plainSized++;
    else if (extra === 4 || extra === 10) this.taggedSized++;
  }

  /** The voice (or video) payload: the first type that is neither comfort noise nor a telephone event. */
  get mainPayloadType(): number {
    return this.#mainPt === -1 ? (this.payloadTypes[0] ?? -1) : this.#mainPt;
  }

  get codec(): PayloadFormat {
    return this.#mainFormat ?? payloadFormat(this.mainPayloadType, this.rtpmap);
  }
}
