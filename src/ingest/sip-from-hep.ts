import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { hepTimeMs, HEP_PROTOCOL_SIP, type HepPacket } from '../core/hep/hep-packet.js';
import type { MessageMeta } from '../core/sip/message.js';
import { parseSipMessage } from '../core/sip/parse-message.js';
import type { SipMessage } from '../core/sip/message.js';
import type { DropReason } from '../app/metrics.js';

// A SIP message over UDP fits a datagram; over TCP RFC 3261 allows more, but no capture agent sends more in one HEP packet.
const MAX_SIP_BYTES = 65_535;

export type SipFromHep = { readonly ok: true; readonly message: SipMessage } | { readonly ok: false; readonly reason: DropReason };

/**
 * The SIP message a HEP packet carries, through the core parser, with the packet's meta: when it was
 * captured, between which addresses, over which transport.
 */
export function sipFromHep(packet: HepPacket): SipFromHep {
  if (packet.protocolType !== HEP_PROTOCOL_SIP) return { ok: false, reason: 'not-sip' };
  let bytes: Uint8Array = packet.payload;
  if (packet.compressed) {
    const inflated = inflate(bytes);
    if (inflated === undefined) return { ok: false, reason: 'compressed' };
    bytes = inflated;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const time = hepTimeMs(packet);
  const meta: MessageMeta = {
    format: 'hep',
    ...(time === undefined ? {} : { time }),
    ...(packet.src === undefined ? {} : { src: packet.src }),
    ...(packet.dst === undefined ? {} : { dst: packet.dst }),
    ...(packet.transport === undefined ? {} : { transport: packet.transport }),
  };
  const parsed = parseSipMessage(text, { meta, maxLength: MAX_SIP_BYTES });
  // Without a Call-ID a message cannot be placed in a call (RFC 3261 §8.1.1.4 makes it mandatory).
  if (!parsed.ok || parsed.message.callId === '') return { ok: false, reason: 'sip-parse' };
  return { ok: true, message: parsed.message };
}

// Capture agents compress with gzip or zlib deflate (HEP3 chunk 0x0010); the output is capped, so a
// small packet cannot expand into a large allocation.
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
