/**
 * Writes SIP messages as a classic pcap (LINKTYPE_RAW: each record an IPv4 or IPv6 packet carrying UDP),
 * with the addresses, ports and capture times they were received with, so that Wireshark, tshark and sngrep
 * open a kept call as if it had been captured. Messages over TCP or TLS are written as UDP datagrams: the
 * SIP text is what matters, and a datagram needs no stream to be rebuilt.
 */
export interface PcapMessage {
  readonly time: number;
  readonly src: string | null;
  readonly dst: string | null;
  readonly raw: string;
}

const LINKTYPE_RAW = 101; // tcpdump.org link-layer header types: raw IPv4/IPv6
const SNAPLEN = 262_144;
const FALLBACK = { host: '127.0.0.1', port: 5060 };

export function writePcap(messages: readonly PcapMessage[]): Uint8Array {
  const parts: Buffer[] = [globalHeader()];
  for (const m of messages) {
    const packet = udpPacket(endpointOf(m.src), endpointOf(m.dst), Buffer.from(m.raw, 'utf8'));
    const rec = Buffer.alloc(16);
    // Rounded to whole microseconds first: rounding the fraction alone turns 999.9996 ms into 1,000,000 µs,
    // which readers reject (the microsecond field must stay below one second).
    const us = Number.isFinite(m.time) ? Math.round(Math.max(0, m.time) * 1000) : 0;
    rec.writeUInt32LE(Math.floor(us / 1_000_000) >>> 0, 0);
    rec.writeUInt32LE(us % 1_000_000, 4);
    rec.writeUInt32LE(packet.length, 8);
    rec.writeUInt32LE(packet.length, 12);
    parts.push(rec, packet);
  }
  return Buffer.concat(parts);
}

function globalHeader(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); // microsecond resolution, little-endian
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(SNAPLEN, 16);
  h.writeUInt32LE(LINKTYPE_RAW, 20);
  return h;
}

interface Ep {
  readonly ip: Buffer;
  readonly port: number;
}

/** "1.2.3.4:5060", "[2001:db8::1]:5060"; anything else (a host name, null) becomes 127.0.0.1:5060. */
export function endpointOf(text: string | null): Ep {
  const m = text === null ? null : /^(?:\[([0-9A-Fa-f:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3}))(?::(\d{1,5}))?$/.exec(text.trim());
  const port = m?.[3] === undefined ? FALLBACK.port : Math.min(65535, Number(m[3]));
  if (m?.[2] !== undefined) return { ip: ipv4(m[2]) ?? ipv4(FALLBACK.host)!, port };
  if (m?.[1] !== undefined) {
    const v6 = ipv6(m[1]);
    if (v6 !== undefined) return { ip: v6, port };
  }
  return { ip: ipv4(FALLBACK.host)!, port };
}

function ipv4(text: string): Buffer | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return Buffer.from(parts);
}

function ipv6(text: string): Buffer | undefined {
  const halves = text.split('::');
  if (halves.length > 2 || text.includes('.')) return undefined;
  const groups = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array.from({ length: fill }, () => 0), ...tail];
  if (all.length !== 8 || all.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  const b = Buffer.alloc(16);
  all.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
}

function udpPacket(src: Ep, dst: Ep, payload: Buffer): Buffer {
  // A v4 source with a v6 destination cannot be one packet: both become the source's family.
  const v6 = src.ip.length === 16 && dst.ip.length === 16;
  const s = v6 ? src.ip : src.ip.length === 4 ? src.ip : ipv4(FALLBACK.host)!;
  const d = v6 ? dst.ip : dst.ip.length === 4 ? dst.ip : ipv4(FALLBACK.host)!;
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(src.port, 0);
  udp.writeUInt16BE(dst.port, 2);
  udp.writeUInt16BE(Math.min(0xffff, 8 + payload.length), 4);
  const body = Buffer.concat([udp, payload]);
  if (v6) {
    // RFC 8200 §8.1: the UDP checksum is mandatory over IPv6.
    const pseudo = Buffer.concat([s, d, u32(body.length), Buffer.from([0, 0, 0, 17])]);
    body.writeUInt16BE(checksum(Buffer.concat([pseudo, body])) || 0xffff, 6);
    const ip = Buffer.alloc(40);
    ip.writeUInt32BE(0x60000000, 0);
    ip.writeUInt16BE(Math.min(0xffff, body.length), 4);
    ip[6] = 17;
    ip[7] = 64;
    s.copy(ip, 8);
    d.copy(ip, 24);
    return Buffer.concat([ip, body]);
  }
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(Math.min(0xffff, 20 + body.length), 2);
  ip[8] = 64;
  ip[9] = 17;
  s.copy(ip, 12);
  d.copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  // UDP checksum 0 over IPv4: "no checksum" (RFC 768).
  return Buffer.concat([ip, body]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

function checksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) + (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
