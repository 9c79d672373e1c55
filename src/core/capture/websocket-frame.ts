/** One WebSocket frame (RFC 6455 §5.2), payload unmasked. */
export interface WsFrame {
  readonly fin: boolean;
  /** RSV1 on a data frame means a compressed message (permessage-deflate, RFC 7692 §6). */
  readonly compressed: boolean;
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** Index just past the frame. */
  readonly end: number;
}

export const WS_OPCODE = { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

/**
 * Reads the frame at `pos`: 'need-more' when it does not end before `end`, 'invalid' when the header cannot
 * be a WebSocket frame or announces a payload over `maxPayload`. A masked payload (every client-to-server
 * frame, §5.3) is unmasked into a copy with the key the frame carries; an unmasked one is a view.
 */
export function readWsFrame(b: Uint8Array, pos: number, end: number, maxPayload: number): WsFrame | 'need-more' | 'invalid' {
  if (end - pos < 2) return 'need-more';
  const b0 = b[pos]!;
  const b1 = b[pos + 1]!;
  const opcode = b0 & 0x0f;
  // RSV2/RSV3 are never set without an extension that defines them; unknown opcodes are not frames.
  if ((b0 & 0x30) !== 0 || (opcode > 2 && opcode < 8) || opcode > 10) return 'invalid';
  let length = b1 & 0x7f;
  let at = pos + 2;
  if (length === 126) {
    if (end - at < 2) return 'need-more';
    length = (b[at]! << 8) | b[at + 1]!;
    at += 2;
  } else if (length === 127) {
    if (end - at < 8) return 'need-more';
    // A 64-bit length; anything past 32 bits is far over any limit we keep.
    if (b[at]! | b[at + 1]! | b[at + 2]! | b[at + 3]!) return 'invalid';
    length = ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0;
    at += 8;
  }
  if (length > maxPayload) return 'invalid';
  const masked = (b1 & 0x80) !== 0;
  const keyAt = at;
  if (masked) at += 4;
  if (end - at < length) return 'need-more';
  let payload = b.subarray(at, at + length);
  if (masked) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = payload[i]! ^ b[keyAt + (i & 3)]!;
    payload = out;
  }
  return { fin: (b0 & 0x80) !== 0, compressed: (b0 & 0x40) !== 0, opcode, payload, end: at + length };
}
