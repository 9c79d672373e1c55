/** What one direction of a TCP connection is carrying, as far as it has been told. */
export type StreamMode = 'unknown' | 'sip' | 'http' | 'ws' | 'other';

/** The frame a segment came in: a message is stamped with the one that completed it. */
export interface FrameStamp {
  readonly number: number;
  readonly time: number;
}

export interface Endpoints {
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
}

/** One direction of a TCP connection: its reassembly state and the bytes waiting to complete a message. */
export class StreamDirection {
  readonly key: string;
  readonly ends: Endpoints;
  /** Sequence number of the next byte expected; undefined until the first segment. */
  next: number | undefined;
  mode: StreamMode = 'unknown';
  /** Bytes received in order but not yet part of a whole message: buf[0, length). */
  buf: Uint8Array = EMPTY;
  length = 0;
  /** Segments that arrived ahead of a gap, copied, waiting for it to fill. */
  pending: { seq: number; data: Uint8Array }[] = [];
  pendingBytes = 0;
  /** A WebSocket message being put together from continuation frames (RFC 6455 §5.4). */
  wsParts: Uint8Array[] = [];
  wsBytes = 0;
  wsCompressed = false;
  /** The latest segment's frame. */
  stamp: FrameStamp = { number: 0, time: Number.NaN };

  constructor(key: string, ends: Endpoints) {
    this.key = key;
    this.ends = ends;
  }

  get held(): number {
    return this.length + this.pendingBytes + this.wsBytes;
  }

  /** Appends bytes, growing the buffer up to `max`; false when they do not fit. */
  append(data: Uint8Array, max: number): boolean {
    const need = this.length + data.length;
    if (need > max) return false;
    if (need > this.buf.length) {
      let size = Math.max(4096, this.buf.length);
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, max));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(data, this.length);
    this.length = need;
    return true;
  }

  /** Drops the first `n` buffered bytes. */
  consume(n: number): void {
    if (n >= this.length) {
      this.length = 0;
      // Give back a large buffer once it is empty, so an idle connection holds nothing.
      if (this.buf.length > 65_536) this.buf = EMPTY;
      return;
    }
    this.buf.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** Forgets everything buffered (after a gap or an oversized message); the next bytes are looked at afresh. */
  reset(mode: StreamMode): void {
    this.length = 0;
    this.buf = EMPTY;
    this.wsParts = [];
    this.wsBytes = 0;
    this.wsCompressed = false;
    this.mode = mode;
  }
}

const EMPTY = new Uint8Array(0);
