import { formatIpv4, formatIpv6 } from '../net/format-ip.js';

export interface IpPacket {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** Upper-layer protocol number (IANA): 6 TCP, 17 UDP. */
  readonly protocol: number;
  readonly payload: Uint8Array;
  /** Set when this packet is one fragment of a larger datagram. */
  readonly fragment?: { readonly id: number; readonly offset: number; readonly more: boolean };
  /** The capture's snapshot length cut the packet short of its own length field. */
  readonly cut: boolean;
}

export type IpResult = { readonly ok: true; readonly packet: IpPacket } | { readonly ok: false; readonly reason: string };

const IPPROTO_FRAGMENT = 44;
const NO_NEXT_HEADER = 59;
// IPv6 extension headers with the generic (next header, length in 8-byte units) layout (RFC 8200 §4),
// plus AH, whose length is in 4-byte units (RFC 4302 §2.2).
const EXTENSIONS = new Set([0, 43, 60, 135, 139, 140]);
const AH = 51;

export function parseIp(b: Uint8Array, offset: number, version: 4 | 6 | 0): IpResult {
  const v = version === 0 ? (b[offset] ?? 0) >> 4 : version;
  if (v === 4) return ipv4(b, offset);
  if (v === 6) return ipv6(b, offset);
  return { ok: false, reason: 'not IPv4 or IPv6' };
}

// RFC 791 §3.1.
function ipv4(b: Uint8Array, at: number): IpResult {
  if (b.length < at + 20) return { ok: false, reason: 'IPv4 header cut short' };
  const ihl = (b[at]! & 0x0f) * 4;
  const total = (b[at + 2]! << 8) | b[at + 3]!;
  if ((b[at]! >> 4) !== 4 || ihl < 20 || total < ihl) return { ok: false, reason: 'IPv4 header lengths are inconsistent' };
  const flags = (b[at + 6]! << 8) | b[at + 7]!;
  const more = (flags & 0x2000) !== 0;
  const fragOffset = (flags & 0x1fff) * 8;
  // Ethernet pads short frames to 60 bytes: the IP total length, not the frame, says where the packet ends.
  const end = Math.min(b.length, at + total);
  const src = formatIpv4(b, at + 12);
  const dst = formatIpv4(b, at + 16);
  const protocol = b[at + 9]!;
  const payload = b.subarray(Math.min(at + ihl, end), end);
  const cut = b.length < at + total;
  // Two literals rather than a spread: this runs once per packet, and a spread copies an object each time.
  const packet: IpPacket =
    more || fragOffset > 0
      ? { version: 4, src, dst, protocol, payload, cut, fragment: { id: (b[at + 4]! << 8) | b[at + 5]!, offset: fragOffset, more } }
      : { version: 4, src, dst, protocol, payload, cut };
  return { ok: true, packet };
}

// RFC 8200 §3-§4: fixed 40-byte header, then a chain of extension headers before the upper layer.
function ipv6(b: Uint8Array, at: number): IpResult {
  if (b.length < at + 40) return { ok: false, reason: 'IPv6 header cut short' };
  const payloadLength = (b[at + 4]! << 8) | b[at + 5]!;
  const end = payloadLength === 0 ? b.length : Math.min(b.length, at + 40 + payloadLength);
  let next = b[at + 6]!;
  let pos = at + 40;
  let fragment: IpPacket['fragment'];
  let chain = skipExtensions(b, pos, end, next);
  if (!chain.ok) return chain;
  ({ next, pos } = chain);
  if (next === IPPROTO_FRAGMENT) {
    if (pos + 8 > end) return { ok: false, reason: 'IPv6 fragment header cut short' };
    const field = (b[pos + 2]! << 8) | b[pos + 3]!;
    const id = ((b[pos + 4]! << 24) | (b[pos + 5]! << 16) | (b[pos + 6]! << 8) | b[pos + 7]!) >>> 0;
    next = b[pos]!;
    pos += 8;
    // An atomic fragment (offset 0, no more) is a whole datagram (RFC 6946); otherwise what follows the
    // fragment header is only readable once the datagram is whole.
    if ((field & 0xfff8) !== 0 || (field & 1) !== 0) fragment = { id, offset: field & 0xfff8, more: (field & 1) !== 0 };
    else {
      chain = skipExtensions(b, pos, end, next);
      if (!chain.ok) return chain;
      ({ next, pos } = chain);
    }
  }
  if (next === NO_NEXT_HEADER) return { ok: false, reason: 'IPv6 packet without an upper layer' };
  const packet: IpPacket = {
    version: 6,
    src: formatIpv6(b, at + 8),
    dst: formatIpv6(b, at + 24),
    protocol: next,
    payload: b.subarray(pos, end),
    cut: payloadLength !== 0 && b.length < at + 40 + payloadLength,
    ...(fragment === undefined ? {} : { fragment }),
  };
  return { ok: true, packet };
}

/**
 * Skips the IPv6 extension headers that may sit before the upper layer (or before a fragment header), and
 * is used again on a reassembled datagram, whose fragmentable part may start with more of them.
 */
export function skipExtensions(
  b: Uint8Array,
  start: number,
  end: number,
  first: number,
): { readonly ok: true; readonly next: number; readonly pos: number } | { readonly ok: false; readonly reason: string } {
  let next = first;
  let pos = start;
  for (let hops = 0; hops < 16 && (EXTENSIONS.has(next) || next === AH); hops++) {
    if (pos + 2 > end) return { ok: false, reason: 'IPv6 extension header cut short' };
    const length = next === AH ? (b[pos + 1]! + 2) * 4 : (b[pos + 1]! + 1) * 8;
    next = b[pos]!;
    pos += length;
    if (pos > end) return { ok: false, reason: 'IPv6 extension header runs past the packet' };
  }
  return { ok: true, next, pos };
}
