import type { Endpoint } from '../sip/message.js';
import { HEP3_CHUNK } from './decode-hep3.js';

/** What to put in a HEP packet. Used to replay traces as a capture agent would, in tests and benchmarks. */
export interface HepFields {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** IP protocol number: 17 UDP (default), 6 TCP. */
  readonly ipProtocol?: number;
  readonly timeSec?: number;
  readonly timeUsec?: number;
  readonly protocolType?: number;
  readonly captureId?: number;
  readonly authKey?: string;
  readonly correlationId?: string;
  readonly payload: Uint8Array | string;
  readonly compressed?: boolean;
  /** Extra chunks (vendor-specific ones, say), written before the payload. */
  readonly extraChunks?: readonly { readonly vendor: number; readonly type: number; readonly data: Uint8Array }[];
}

const encoder = new TextEncoder();

/** Encodes a HEPv3 packet, chunk layout as Kamailio's siptrace writes it (siptrace_hep.c). */
export function encodeHep3(f: HepFields): Uint8Array {
  const v6 = f.src.host.includes(':');
  const chunks: Uint8Array[] = [];
  const chunk = (type: number, data: Uint8Array, vendor = 0): void => {
    const c = new Uint8Array(6 + data.length);
    const v = new DataView(c.buffer);
    v.setUint16(0, vendor);
    v.setUint16(2, type);
    v.setUint16(4, c.length);
    c.set(data, 6);
    chunks.push(c);
  };
  chunk(HEP3_CHUNK.ipFamily, u8(v6 ? 10 : 2));
  chunk(HEP3_CHUNK.ipProtocol, u8(f.ipProtocol ?? 17));
  chunk(v6 ? HEP3_CHUNK.ipv6Src : HEP3_CHUNK.ipv4Src, parseIp(f.src.host));
  chunk(v6 ? HEP3_CHUNK.ipv6Dst : HEP3_CHUNK.ipv4Dst, parseIp(f.dst.host));
  chunk(HEP3_CHUNK.srcPort, u16(f.src.port ?? 5060));
  chunk(HEP3_CHUNK.dstPort, u16(f.dst.port ?? 5060));
  const now = Date.now();
  chunk(HEP3_CHUNK.timeSec, u32(f.timeSec ?? Math.floor(now / 1000)));
  chunk(HEP3_CHUNK.timeUsec, u32(f.timeUsec ?? (now % 1000) * 1000));
  chunk(HEP3_CHUNK.protocolType, u8(f.protocolType ?? 1));
  chunk(HEP3_CHUNK.captureId, u32(f.captureId ?? 1));
  if (f.correlationId !== undefined) chunk(HEP3_CHUNK.correlationId, encoder.encode(f.correlationId));
  if (f.authKey !== undefined) chunk(HEP3_CHUNK.authKey, encoder.encode(f.authKey));
  for (const x of f.extraChunks ?? []) chunk(x.type, x.data, x.vendor);
  const payload = typeof f.payload === 'string' ? encoder.encode(f.payload) : f.payload;
  chunk(f.compressed === true ? HEP3_CHUNK.compressedPayload : HEP3_CHUNK.payload, payload);
  const total = 6 + chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  out.set([0x48, 0x45, 0x50, 0x33], 0);
  new DataView(out.buffer).setUint16(4, total);
  let at = 6;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Encodes a HEPv2 (or v1) datagram with the padded 12-byte time header Kamailio sends. */
export function encodeHep2(f: HepFields, version: 1 | 2 = 2): Uint8Array {
  const v6 = f.src.host.includes(':');
  const addr = v6 ? 16 : 4;
  const header = 8 + 2 * addr;
  const time = version === 2 ? 12 : 0;
  const payload = typeof f.payload === 'string' ? encoder.encode(f.payload) : f.payload;
  const out = new Uint8Array(header + time + payload.length);
  const v = new DataView(out.buffer);
  v.setUint8(0, version);
  v.setUint8(1, header);
  v.setUint8(2, v6 ? 10 : 2);
  v.setUint8(3, f.ipProtocol ?? 17);
  v.setUint16(4, f.src.port ?? 5060);
  v.setUint16(6, f.dst.port ?? 5060);
  out.set(parseIp(f.src.host), 8);
  out.set(parseIp(f.dst.host), 8 + addr);
  if (version === 2) {
    const now = Date.now();
    v.setUint32(header, f.timeSec ?? Math.floor(now / 1000), true);
    v.setUint32(header + 4, f.timeUsec ?? (now % 1000) * 1000, true);
    v.setUint16(header + 8, f.captureId ?? 1, true);
  }
  out.set(payload, header + time);
  return out;
}

/** Bytes of an IPv4 dotted quad or an IPv6 address (with "::" and an optional trailing dotted quad). */
export function parseIp(host: string): Uint8Array {
  if (!host.includes(':')) return Uint8Array.from(host.split('.').map((p) => Number(p) & 0xff));
  let text = host;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  const left = halves[0] === undefined || halves[0] === '' ? [] : halves[0].split(':');
  const right = halves[1] === undefined || halves[1] === '' ? [] : halves[1].split(':');
  const zeros = halves.length > 1 ? Math.max(0, 8 - left.length - right.length) : 0;
  const groups = [...left, ...new Array<string>(zeros).fill('0'), ...right].map((g) => parseInt(g, 16) || 0);
  const out = new Uint8Array(16);
  groups.slice(0, 8).forEach((g, i) => {
    out[2 * i] = (g >> 8) & 0xff;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function u8(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff);
}
function u16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}
function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}
