import type { ProblemTally } from './problem-tally.js';
import { frameSipMessage, NEED_MORE, NOT_SIP, sipStartLine, skipBlankLines } from './sip-bytes.js';
import type { StreamDirection } from './stream-direction.js';
import { readWsFrame, WS_OPCODE } from './websocket-frame.js';

export interface StreamContext {
  readonly maxFlowBytes: number;
  readonly tally: ProblemTally;
  /** A whole SIP message found in the stream; the bytes are only valid during the call. */
  emit(message: Uint8Array, transport: 'TCP' | 'WS', direction: StreamDirection): void;
}

const MAX_HTTP_HEADER = 16 * 1024;

/**
 * Reads what one TCP direction carries from buf[pos, end) and returns how far it got: the bytes from there
 * on are an incomplete message to keep for the next segment. SIP is recognised by content, not port (RFC
 * 3261 §18.3 framing by Content-Length); an HTTP Upgrade to WebSocket switches to reading frames, each
 * message of which is one SIP message (RFC 7118 §5.2).
 */
export function readStream(d: StreamDirection, b: Uint8Array, start: number, end: number, ctx: StreamContext): number {
  let pos = start;
  for (let guard = 0; guard < 1_000_000 && pos < end; guard++) {
    switch (d.mode) {
      case 'unknown': {
        const next = identify(d, b, pos, end, ctx);
        if (next === NEED_MORE) return pos;
        pos = next;
        break;
      }
      case 'sip': {
        const framed = frameSipMessage(b, pos, end, ctx.maxFlowBytes);
        if ('start' in framed) {
          ctx.emit(b.subarray(framed.start, framed.end), 'TCP', d);
          pos = framed.end;
        } else if (framed.status === 'need-more') {
          // Keep-alive CRLFs alone are not worth holding on to.
          return skipBlankLines(b, pos, end) === end ? end : pos;
        } else {
          if (framed.status === 'too-large') ctx.tally.note('tcp-too-large', `a SIP message over TCP longer than ${ctx.maxFlowBytes} bytes was skipped`, 'message');
          else ctx.tally.note('tcp-resync', 'bytes that are not SIP in the middle of a SIP connection were skipped (a segment missing from the capture?)', 'time');
          pos = resync(d, b, pos + 1, end, false);
        }
        break;
      }
      case 'http': {
        const headerEnd = indexOfBlankLine(b, pos, Math.min(end, pos + MAX_HTTP_HEADER));
        if (headerEnd === -1) {
          if (end - pos < MAX_HTTP_HEADER) return pos;
          d.mode = 'other';
          return end;
        }
        d.mode = isWebSocketUpgrade(b, pos, headerEnd) ? 'ws' : 'other';
        pos = d.mode === 'ws' ? headerEnd : end;
        break;
      }
      case 'ws': {
        const frame = readWsFrame(b, pos, end, ctx.maxFlowBytes);
        if (frame === 'need-more') return pos;
        if (frame === 'invalid') {
          ctx.tally.note('websocket-invalid', 'a WebSocket connection had a frame that could not be read; the rest of it was skipped', 'connection');
          d.reset('other');
          return end;
        }
        pos = frame.end;
        if (frame.opcode === WS_OPCODE.CLOSE) d.reset('other');
        else if (frame.opcode <= WS_OPCODE.BINARY) wsData(d, frame.opcode, frame.fin, frame.compressed, frame.payload, ctx);
        break;
      }
      case 'other':
        return end;
    }
  }
  return pos;
}

/** Looks at the first bytes of a direction (or the first after a gap) to tell what it carries. */
function identify(d: StreamDirection, b: Uint8Array, pos: number, end: number, ctx: StreamContext): number {
  const s = skipBlankLines(b, pos, end);
  if (s === end) return end;
  const line = sipStartLine(b, s, end);
  if (line >= 0) {
    d.mode = 'sip';
    return s;
  }
  if (startsWith(b, s, end, 'GET ') || startsWith(b, s, end, 'HTTP/1.')) {
    d.mode = 'http';
    return s;
  }
  const frame = readWsFrame(b, s, end, ctx.maxFlowBytes);
  if (typeof frame === 'object' && frame.opcode >= WS_OPCODE.TEXT && frame.opcode <= WS_OPCODE.BINARY && !frame.compressed) {
    if (sipStartLine(frame.payload, 0, frame.payload.length) !== NOT_SIP) {
      // A capture that starts after the WebSocket handshake: frames carrying SIP say enough.
      d.mode = 'ws';
      return s;
    }
  }
  if ((line === NEED_MORE || frame === 'need-more') && end - s < 2048) return NEED_MORE;
  return resync(d, b, s, end, true);
}

/**
 * Finds the next line that starts a SIP message. A start line cut by the end of the segment is kept (with
 * what follows it) to be looked at again with the next one; without either, the direction is ignored until
 * a segment starts with SIP.
 */
function resync(d: StreamDirection, b: Uint8Array, from: number, end: number, atLineStart: boolean): number {
  let lineStart = atLineStart ? from : -1;
  for (let i = from; i < end; i++) {
    if (b[i] !== 0x0a) continue;
    if (sipStartLine(b, i + 1, end) >= 0) {
      d.mode = 'sip';
      return i + 1;
    }
    lineStart = i + 1;
  }
  if (lineStart !== -1 && lineStart < end && end - lineStart < 2048 && sipStartLine(b, lineStart, end) === NEED_MORE) {
    d.mode = 'unknown';
    return lineStart;
  }
  d.mode = 'other';
  return end;
}

function wsData(d: StreamDirection, opcode: number, fin: boolean, compressed: boolean, payload: Uint8Array, ctx: StreamContext): void {
  if (opcode !== WS_OPCODE.CONTINUATION) {
    d.wsParts = [];
    d.wsBytes = 0;
    d.wsCompressed = compressed;
  }
  if (!fin) {
    if (d.wsBytes + payload.length > ctx.maxFlowBytes) {
      ctx.tally.note('tcp-too-large', `a SIP message over TCP longer than ${ctx.maxFlowBytes} bytes was skipped`, 'message');
      d.wsParts = [];
      d.wsBytes = 0;
      return;
    }
    d.wsParts.push(payload.slice());
    d.wsBytes += payload.length;
    return;
  }
  const message = d.wsParts.length === 0 ? payload : concat([...d.wsParts, payload]);
  const wasCompressed = d.wsCompressed;
  d.wsParts = [];
  d.wsBytes = 0;
  if (wasCompressed) {
    // permessage-deflate would need an inflater and the connection's whole history; say so instead.
    ctx.tally.note('websocket-compressed', 'WebSocket messages compressed with permessage-deflate (RFC 7692) cannot be read from a capture', 'message');
    return;
  }
  const s = skipBlankLines(message, 0, message.length);
  if (sipStartLine(message, s, message.length) >= 0) ctx.emit(message.subarray(s), 'WS', d);
}

function isWebSocketUpgrade(b: Uint8Array, pos: number, end: number): boolean {
  const head = String.fromCharCode(...b.subarray(pos, Math.min(end, pos + MAX_HTTP_HEADER)));
  // RFC 6455 §4.1 (client Upgrade request) and §4.2.2 (server 101 Switching Protocols).
  return /^HTTP\/1\.\d 101\b/.test(head) || (/^GET /.test(head) && /^upgrade[ \t]*:[ \t]*websocket\b/im.test(head));
}

function indexOfBlankLine(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) {
    if (b[i] !== 0x0a) continue;
    if (b[i + 1] === 0x0a) return i + 2;
    if (b[i + 1] === 0x0d && b[i + 2] === 0x0a && i + 2 < end) return i + 3;
  }
  return -1;
}

function startsWith(b: Uint8Array, pos: number, end: number, text: string): boolean {
  if (end - pos < text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
