import { fail, ok, type Result } from '../result.js';
import type { Endpoint } from '../sip/message.js';
import { formatIpv4, formatIpv6 } from '../net/format-ip.js';
import { transportName, type HepPacket } from './hep-packet.js';

// HEP3 control header: "HEP3" then the total length, 16 bits, network order (HEP3 spec §2).
const HEADER = 6;
// Every chunk starts with vendor id, type id and length (which counts these 6 bytes), all 16 bits.
const CHUNK_HEADER = 6;

/** Generic chunk types (vendor 0x0000) the decoder reads; others are skipped. */
export const HEP3_CHUNK = {
  ipFamily: 0x0001,
  ipProtocol: 0x0002,
  ipv4Src: 0x0003,
  ipv4Dst: 0x0004,
  ipv6Src: 0x0005,
  ipv6Dst: 0x0006,
  srcPort: 0x0007,
  dstPort: 0x0008,
  timeSec: 0x0009,
  timeUsec: 0x000a,
  protocolType: 0x000b,
  captureId: 0x000c,
  keepAlive: 0x000d,
  authKey: 0x000e,
  payload: 0x000f,
  compressedPayload: 0x0010,
  correlationId: 0x0011,
} as const;

// Fixed-size chunks: a different length is a malformed packet, not something to guess around.
const FIXED_SIZE: Readonly<Record<number, number>> = {
  [HEP3_CHUNK.ipFamily]: 1,
  [HEP3_CHUNK.ipProtocol]: 1,
  [HEP3_CHUNK.ipv4Src]: 4,
  [HEP3_CHUNK.ipv4Dst]: 4,
  [HEP3_CHUNK.ipv6Src]: 16,
  [HEP3_CHUNK.ipv6Dst]: 16,
  [HEP3_CHUNK.srcPort]: 2,
  [HEP3_CHUNK.dstPort]: 2,
  [HEP3_CHUNK.timeSec]: 4,
  [HEP3_CHUNK.timeUsec]: 4,
  [HEP3_CHUNK.protocolType]: 1,
  [HEP3_CHUNK.captureId]: 4,
  [HEP3_CHUNK.keepAlive]: 2,
};

// AF_INET is 2 everywhere; AF_INET6 is 10 on Linux, which is what capture agents send (HEP3 spec, chunk 0x0001).
const AF_INET = 2;
const AF_INET6 = 10;

const utf8 = new TextDecoder('utf-8');

/**
 * Decodes one HEPv3 packet. `bytes` must be exactly one packet (a UDP datagram, or one frame cut from a TCP
 * stream by its length field). Never throws: anything malformed is a problem with a stable code.
 */
export function decodeHep3(bytes: Uint8Array): Result<HepPacket> {
  if (bytes.length < HEADER) return fail('hep-truncated', `HEP3 packet of ${bytes.length} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = view.getUint16(4);
  if (total > bytes.length) return fail('hep-truncated', `HEP3 length says ${total} bytes but ${bytes.length} arrived`);
  if (total !== bytes.length) return fail('hep-length', `HEP3 length says ${total} bytes but the packet has ${bytes.length}`);

  let family: number | undefined;
  let ipProtocol: number | undefined;
  let src4: Uint8Array | undefined;
  let dst4: Uint8Array | undefined;
  let src6: Uint8Array | undefined;
  let dst6: Uint8Array | undefined;
  let srcPort: number | undefined;
  let dstPort: number | undefined;
  let timeSec: number | undefined;
  let timeUsec: number | undefined;
  let protocolType: number | undefined;
  let captureId: number | undefined;
  let authKey: string | undefined;
  let correlationId: string | undefined;
  let payload: Uint8Array | undefined;
  let compressed = false;

  let at = HEADER;
  while (at < total) {
    if (total - at < CHUNK_HEADER) return fail('hep-truncated', `HEP3 chunk header at byte ${at} is cut off`);
    const vendor = view.getUint16(at);
    const type = view.getUint16(at + 2);
    const length = view.getUint16(at + 4);
    if (length < CHUNK_HEADER) return fail('hep-chunk-length', `HEP3 chunk 0x${hex(type)} at byte ${at} has length ${length}, under 6`);
    if (at + length > total) return fail('hep-truncated', `HEP3 chunk 0x${hex(type)} at byte ${at} runs past the end of the packet`);
    const body = at + CHUNK_HEADER;
    const size = length - CHUNK_HEADER;
    at += length;
    // Vendor chunks (vendor id other than 0) carry vendor data we do not interpret.
    if (vendor !== 0) continue;
    const fixed = FIXED_SIZE[type];
    if (fixed !== undefined && size !== fixed) {
      return fail('hep-chunk-size', `HEP3 chunk 0x${hex(type)} should hold ${fixed} bytes but holds ${size}`);
    }
    switch (type) {
      case HEP3_CHUNK.ipFamily:
        family = view.getUint8(body);
        break;
      case HEP3_CHUNK.ipProtocol:
        ipProtocol = view.getUint8(body);
        break;
      case HEP3_CHUNK.ipv4Src:
        src4 = bytes.subarray(body, body + 4);
        break;
      case HEP3_CHUNK.ipv4Dst:
        dst4 = bytes.subarray(body, body + 4);
        break;
      case HEP3_CHUNK.ipv6Src:
        src6 = bytes.subarray(body, body + 16);
        break;
      case HEP3_CHUNK.ipv6Dst:
        dst6 = bytes.subarray(body, body + 16);
        break;
      case HEP3_CHUNK.srcPort:
        srcPort = view.getUint16(body);
        break;
      case HEP3_CHUNK.dstPort:
        dstPort = view.getUint16(body);
        break;
      case HEP3_CHUNK.timeSec:
        timeSec = view.getUint32(body);
        break;
      case HEP3_CHUNK.timeUsec:
        timeUsec = view.getUint32(body);
        break;
      case HEP3_CHUNK.protocolType:
        protocolType = view.getUint8(body);
        break;
      case HEP3_CHUNK.captureId:
        captureId = view.getUint32(body);
        break;
      case HEP3_CHUNK.authKey:
        authKey = utf8.decode(bytes.subarray(body, body + size));
        break;
      case HEP3_CHUNK.payload:
        payload = bytes.subarray(body, body + size);
        compressed = false;
        break;
      case HEP3_CHUNK.compressedPayload:
        payload = bytes.subarray(body, body + size);
        compressed = true;
        break;
      case HEP3_CHUNK.correlationId:
        correlationId = utf8.decode(bytes.subarray(body, body + size));
        break;
      default:
        break;
    }
  }
  if (payload === undefined) return fail('hep-no-payload', 'HEP3 packet carries no payload chunk');

  // The family chunk decides which address chunks count; without it, whichever pair is present.
  const useV6 = family === AF_INET6 || (family !== AF_INET && src4 === undefined && dst4 === undefined);
  const srcBytes = useV6 ? src6 : src4;
  const dstBytes = useV6 ? dst6 : dst4;
  return ok({
    version: 3,
    family: family === AF_INET ? 'ipv4' : family === AF_INET6 ? 'ipv6' : srcBytes === undefined ? undefined : useV6 ? 'ipv6' : 'ipv4',
    ipProtocol,
    transport: transportName(ipProtocol),
    src: endpoint(srcBytes, srcPort),
    dst: endpoint(dstBytes, dstPort),
    timeSec,
    timeUsec,
    protocolType: protocolType ?? 1,
    captureId,
    authKey,
    correlationId,
    payload,
    compressed,
  });
}

function endpoint(address: Uint8Array | undefined, port: number | undefined): Endpoint | undefined {
  if (address === undefined) return undefined;
  const host = address.length === 4 ? formatIpv4(address) : formatIpv6(address);
  return port === undefined ? { host } : { host, port };
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
