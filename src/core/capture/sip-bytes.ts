/**
 * SIP recognised and framed in raw bytes, before any text decoding: a capture is mostly RTP and other
 * traffic, so the test for "is this SIP" must be cheap and must not allocate.
 */

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const MAX_START_LINE = 2048;
// "SIP/2.0" as bytes.
const SIP_VERSION = [0x53, 0x49, 0x50, 0x2f, 0x32, 0x2e, 0x30];

/** Not SIP at this position. */
export const NOT_SIP = -1;
/** Could be SIP, but the bytes end before it can be told or framed. */
export const NEED_MORE = -2;

function isVersionAt(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 7; i++) if (b[at + i] !== SIP_VERSION[i]) return false;
  return true;
}

// RFC 3261 §25.1 token characters (the method).
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e
  );
}

/**
 * Whether a SIP start line begins at `pos` (RFC 3261 §7.1 Request-Line, §7.2 Status-Line). Returns the
 * index just past the line's LF, NOT_SIP, or NEED_MORE when the line is not complete before `end`.
 * A request line must end in "SIP/2.0" and its URI must have a scheme, as in Wireshark's SIP heuristic.
 */
export function sipStartLine(b: Uint8Array, pos: number, end: number): number {
  if (pos >= end) return NEED_MORE;
  const first = b[pos]!;
  if (first === 0x53 && end - pos < 8 && isVersionPrefix(b, pos, end)) return NEED_MORE;
  if (first === 0x53 && end - pos >= 8 && isVersionAt(b, pos) && b[pos + 7] === SP) {
    // Status-Line: SIP/2.0 SP 3DIGIT SP Reason-Phrase CRLF.
    for (let i = pos + 8; i < pos + 11; i++) {
      if (i >= end) return NEED_MORE;
      const c = b[i]!;
      if (c < 0x30 || c > 0x39) return NOT_SIP;
    }
    return lineEnd(b, pos + 11, end);
  }
  if (!isTokenChar(first)) return NOT_SIP;
  let i = pos;
  const limit = Math.min(end, pos + MAX_START_LINE);
  while (i < limit && isTokenChar(b[i]!)) i++;
  if (i === limit) return limit === end ? NEED_MORE : NOT_SIP;
  if (b[i] !== SP || i - pos > 32) return NOT_SIP;
  let colon = false;
  let lf = -1;
  for (let j = i + 1; j < limit; j++) {
    const c = b[j]!;
    if (c === LF) {
      lf = j;
      break;
    }
    if (c === 0x3a) colon = true;
    else if (c < 0x20 && c !== CR && c !== 0x09) return NOT_SIP;
  }
  if (lf === -1) return limit === end ? NEED_MORE : NOT_SIP;
  const lineStop = b[lf - 1] === CR ? lf - 1 : lf;
  if (!colon || lineStop - 8 <= i || b[lineStop - 8] !== SP || !isVersionAt(b, lineStop - 7)) return NOT_SIP;
  return lf + 1;
}

// "SIP/2.0 " cut short by the end of the bytes: it may still become a status line.
function isVersionPrefix(b: Uint8Array, pos: number, end: number): boolean {
  for (let i = pos; i < end; i++) if (b[i] !== (i - pos === 7 ? SP : SIP_VERSION[i - pos])) return false;
  return true;
}

function lineEnd(b: Uint8Array, from: number, end: number): number {
  const limit = Math.min(end, from + MAX_START_LINE);
  for (let j = from; j < limit; j++) {
    const c = b[j]!;
    if (c === LF) return j + 1;
    if (c < 0x20 && c !== CR && c !== 0x09) return NOT_SIP;
  }
  return limit === end ? NEED_MORE : NOT_SIP;
}

/** Skips CRLF keep-alives (RFC 5626 §3.5.1 double-CRLF ping and CRLF pong) and stray blank lines. */
export function skipBlankLines(b: Uint8Array, pos: number, end: number): number {
  let i = pos;
  while (i < end && (b[i] === CR || b[i] === LF)) i++;
  return i;
}

export type Framed = { readonly start: number; readonly end: number } | { readonly status: 'need-more' | 'not-sip' | 'too-large' };

/**
 * Frames the SIP message at `pos` in a byte stream (RFC 3261 §18.3): the header section ends at the first
 * empty line and the body is exactly Content-Length bytes (0 when absent, which §18.3 does not allow on a
 * stream but some senders do on bodiless messages). Never reads past `end`; a message that cannot fit in
 * `maxBytes` is reported instead of waited for.
 */
export function frameSipMessage(b: Uint8Array, pos: number, end: number, maxBytes: number): Framed {
  const start = skipBlankLines(b, pos, end);
  const afterStart = sipStartLine(b, start, end);
  if (afterStart === NOT_SIP) return { status: 'not-sip' };
  if (afterStart === NEED_MORE) return { status: 'need-more' };
  let contentLength = 0;
  let line = afterStart;
  const limit = Math.min(end, start + maxBytes);
  for (;;) {
    let lf = line;
    while (lf < limit && b[lf] !== LF) lf++;
    if (lf >= limit) return limit === end && end - start < maxBytes ? { status: 'need-more' } : { status: 'too-large' };
    const stop = lf > line && b[lf - 1] === CR ? lf - 1 : lf;
    if (stop === line) {
      const bodyEnd = lf + 1 + contentLength;
      if (bodyEnd - start > maxBytes) return { status: 'too-large' };
      return bodyEnd > end ? { status: 'need-more' } : { start, end: bodyEnd };
    }
    const value = contentLengthValue(b, line, stop);
    if (value !== undefined) contentLength = value;
    line = lf + 1;
  }
}

// "Content-Length" in any case, or its compact form "l" (§7.3.3, §20.14), with optional whitespace before
// the colon (HCOLON, §25.1). Returns the digits' value, capped so a forged value cannot overflow.
const CONTENT_LENGTH = [0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d, 0x6c, 0x65, 0x6e, 0x67, 0x74, 0x68];
function contentLengthValue(b: Uint8Array, from: number, stop: number): number | undefined {
  const c0 = b[from]! | 0x20;
  let i: number;
  if (c0 === 0x6c) i = from + 1;
  else if (c0 === 0x63 && stop - from > 15) {
    for (let k = 1; k < 14; k++) if ((b[from + k]! | 0x20) !== CONTENT_LENGTH[k]) return undefined;
    i = from + 14;
  } else return undefined;
  while (i < stop && (b[i] === SP || b[i] === 0x09)) i++;
  if (b[i] !== 0x3a) return undefined;
  i++;
  while (i < stop && (b[i] === SP || b[i] === 0x09)) i++;
  let value = 0;
  let digits = 0;
  while (i < stop && b[i]! >= 0x30 && b[i]! <= 0x39 && digits < 10) {
    value = value * 10 + (b[i]! - 0x30);
    digits++;
    i++;
  }
  return digits === 0 ? undefined : value;
}
