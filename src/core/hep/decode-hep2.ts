import { fail, ok, type Result } from '../result.js';
import { formatIpv4, formatIpv6 } from '../net/format-ip.js';
import { transportName, type HepPacket } from './hep-packet.js';

// HEPv1/v2 fixed header (struct hep_hdr in Kamailio's sipcapture/hep.h and captagent): version, header
// length, family, protocol (one byte each), source and destination port (16 bits, network order).
const FIXED = 8;
// Then the addresses (struct hep_iphdr / hep_ip6hdr), and in v2 struct hep_timehdr: tv_sec and tv_usec
// (32 bits) and the capture id (16 bits), written in host order, which is little-endian on every capture
// agent in use (Kamailio writes to_le()). The C struct is not packed, so senders pad it to 12 bytes.
const TIME = 10;
const TIME_PADDED = 12;
const AF_INET = 2;
const AF_INET6 = 10;

/**
 * Decodes a HEPv1 or HEPv2 datagram. These versions carry SIP only and have no overall length, so they are
 * read from UDP only. Never throws: anything malformed is a problem with a stable code.
 */
export function decodeHep2(bytes: Uint8Array): Result<HepPacket> {
  if (bytes.length < FIXED) return fail('hep-truncated', `HEPv2 packet of ${bytes.length} bytes is shorter than its header`);
  const version = bytes[0];
  if (version !== 1 && version !== 2) return fail('hep-version', `HEP version ${version ?? '?'} is not 1, 2 or 3`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint8(1);
  const family = view.getUint8(2);
  if (family !== AF_INET && family !== AF_INET6) return fail('hep-family', `HEPv${version} address family ${family} is neither IPv4 (2) nor IPv6 (10)`);
  const addressLength = family === AF_INET ? 4 : 16;
  // The length byte counts the fixed header and the addresses (Kamailio siptrace_hep.c, trace_send_hep2_duplicate).
  if (headerLength !== FIXED + 2 * addressLength) {
    return fail('hep-length', `HEPv${version} header length is ${headerLength}, expected ${FIXED + 2 * addressLength} for this address family`);
  }
  const ipProtocol = view.getUint8(3);
  let at = headerLength;
  if (bytes.length < at) return fail('hep-truncated', `HEPv${version} packet ends inside its addresses`);
  const format = family === AF_INET ? formatIpv4 : formatIpv6;
  const src = { host: format(bytes, FIXED), port: view.getUint16(4) };
  const dst = { host: format(bytes, FIXED + addressLength), port: view.getUint16(6) };

  let timeSec: number | undefined;
  let timeUsec: number | undefined;
  let captureId: number | undefined;
  if (version === 2) {
    if (bytes.length < at + TIME) return fail('hep-truncated', 'HEPv2 packet ends inside its time header');
    timeSec = view.getUint32(at, true);
    timeUsec = view.getUint32(at + 4, true);
    captureId = view.getUint16(at + 8, true);
    // Two zero bytes after the capture id are struct padding; a packed sender starts the payload there instead.
    const padded = bytes.length >= at + TIME_PADDED && bytes[at + TIME] === 0 && bytes[at + TIME + 1] === 0;
    at += padded ? TIME_PADDED : TIME;
  }
  const payload = bytes.subarray(at);
  if (payload.length === 0) return fail('hep-no-payload', `HEPv${version} packet carries no payload`);
  return ok({
    version,
    family: family === AF_INET ? 'ipv4' : 'ipv6',
    ipProtocol,
    transport: transportName(ipProtocol),
    src,
    dst,
    timeSec,
    timeUsec,
    protocolType: 1,
    captureId,
    authKey: undefined,
    correlationId: undefined,
    payload,
    compressed: false,
  });
}
