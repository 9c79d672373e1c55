/**
 * The fixed RTP header (RFC 3550 §5.1), read without allocating: the analyser sees every media packet of a
 * capture, so the fields are written into one reusable object instead of a new one per packet.
 */
export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequence: number;
  /** 32-bit RTP timestamp, unsigned. */
  timestamp: number;
  /** 32-bit SSRC, unsigned. */
  ssrc: number;
  /** Where the payload starts, after CSRCs and any header extension. */
  payloadOffset: number;
  /** Payload bytes, padding (RFC 3550 §5.1 P bit) removed. */
  payloadLength: number;
}

export function emptyRtpHeader(): RtpHeader {
  return { payloadType: 0, marker: false, sequence: 0, timestamp: 0, ssrc: 0, payloadOffset: 0, payloadLength: 0 };
}

/**
 * Whether the datagram's second byte is an RTCP packet type (RFC 5761 §4: 192–223 are kept free of RTP
 * payload types so that RTP and RTCP can share a port).
 */
export function isRtcpType(b: Uint8Array): boolean {
  const t = b[1] ?? 0;
  return t >= 192 && t <= 223;
}

/** Reads an RTP header into `out`; false when the bytes cannot be RTP version 2. */
export function readRtpHeader(b: Uint8Array, out: RtpHeader): boolean {
  const n = b.length;
  if (n < 12) return false;
  const b0 = b[0]!;
  if (b0 >> 6 !== 2) return false;
  let offset = 12 + (b0 & 0x0f) * 4;
  if (offset > n) return false;
  if ((b0 & 0x10) !== 0) {
    // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, then the extension.
    if (offset + 4 > n) return false;
    offset += 4 + ((b[offset + 2]! << 8) | b[offset + 3]!) * 4;
    if (offset > n) return false;
  }
  let end = n;
  if ((b0 & 0x20) !== 0) {
    const pad = b[n - 1]!;
    if (pad === 0 || offset + pad > n) return false;
    end -= pad;
  }
  const b1 = b[1]!;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequence = (b[2]! << 8) | b[3]!;
  out.timestamp = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  out.ssrc = ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0;
  out.payloadOffset = offset;
  out.payloadLength = end - offset;
  return true;
}
