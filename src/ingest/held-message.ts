import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { DropReason } from '../ports/metrics.js';
import { decodeHep } from '../core/hep/decode-hep.js';
import { hepTimeMs, HEP_PROTOCOL_SIP, type HepPacket } from '../core/hep/hep-packet.js';
import type { CSeq } from '../core/sip/cseq.js';
import type { MessageMeta, SipMessage } from '../core/sip/message.js';
import { parseSipMessage } from '../core/sip/parse-message.js';
import { peekSipMessage, type SipPeek } from '../core/sip/peek-message.js';

/**
 * A SIP message of a call in progress, as held until the call completes: the HEP packet as received (its
 * bytes live outside the JavaScript heap, so thousands of calls in progress cost the garbage collector
 * little) and the few peeked facts the call table needs. The packet is decoded and the message fully
 * parsed once, when the call completes.
 */
export interface HeldMessage {
  readonly packet: Uint8Array;
  readonly method: string | undefined;
  readonly status: number | undefined;
  readonly cseq: CSeq | undefined;
}

/** A packet read far enough to file it: its call, its copy key, and the facts to count it by. */
export interface Peeked {
  readonly peek: SipPeek;
  readonly held: HeldMessage;
  /** Where it came from, for per-peer counting. */
  readonly src: string | null;
}

// A SIP message over UDP fits a datagram; no capture agent puts more than that in one HEP packet.
const MAX_SIP_BYTES = 65_535;

export type PeekResult = { readonly ok: true; readonly value: Peeked } | { readonly ok: false; readonly reason: DropReason };

/** Files a decoded HEP packet: checks it carries SIP and peeks at the message. */
export function peekHep(packet: HepPacket, bytes: Uint8Array): PeekResult {
  const payload = sipPayload(packet);
  if (!payload.ok) return payload;
  const peek = peekSipMessage(text(payload.bytes));
  if (peek === undefined) return { ok: false, reason: 'sip-parse' };
  return { ok: true, value: { peek, held: { packet: bytes, method: peek.method, status: peek.status, cseq: peek.cseq }, src: packet.src?.host ?? null } };
}

/** The held message through the core parser, with its packet's meta; undefined if that fails after all. */
export function parseHeld(h: HeldMessage): SipMessage | undefined {
  const decoded = decodeHep(h.packet);
  if (!decoded.ok) return undefined;
  const payload = sipPayload(decoded.value);
  if (!payload.ok) return undefined;
  const r = parseSipMessage(text(payload.bytes), { meta: metaOf(decoded.value), maxLength: MAX_SIP_BYTES });
  return r.ok && r.message.callId !== '' ? r.message : undefined;
}

function sipPayload(packet: HepPacket): { ok: true; bytes: Uint8Array } | { ok: false; reason: DropReason } {
  if (packet.protocolType !== HEP_PROTOCOL_SIP) return { ok: false, reason: 'not-sip' };
  let bytes: Uint8Array = packet.payload;
  if (packet.compressed) {
    const inflated = inflate(bytes);
    if (inflated === undefined) return { ok: false, reason: 'compressed' };
    bytes = inflated;
  }
  if (bytes.length > MAX_SIP_BYTES) return { ok: false, reason: 'too-large' };
  return { ok: true, bytes };
}

function metaOf(packet: HepPacket): MessageMeta {
  const time = hepTimeMs(packet);
  return {
    format: 'hep',
    ...(time === undefined ? {} : { time }),
    ...(packet.src === undefined ? {} : { src: packet.src }),
    ...(packet.dst === undefined ? {} : { dst: packet.dst }),
    ...(packet.transport === undefined ? {} : { transport: packet.transport }),
  };
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

// Capture agents compress with gzip or zlib deflate (HEP3 chunk 0x0010). The output is capped, so a small
// packet cannot expand into a large allocation; a payload that does not inflate is counted as dropped.
function inflate(bytes: Uint8Array): Uint8Array | undefined {
  const options = { maxOutputLength: MAX_SIP_BYTES };
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes, options);
    if (bytes[0] === 0x78) return inflateSync(bytes, options);
    return inflateRawSync(bytes, options);
  } catch {
    return undefined;
  }
}
