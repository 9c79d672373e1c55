/**
 * Builds captures byte by byte for tests: pcap and pcapng files, link-layer headers, IPv4/IPv6, UDP, TCP
 * and WebSocket frames around real SIP messages, so each layout the reader must handle can be made on
 * demand, including damaged ones. Written from the format documents, independently of the reader.
 */
import { readFileSync } from 'node:fs';
import { readTrace } from '../../../src/core/trace/read-trace.js';

const enc = new TextEncoder();

/** The SIP messages of a fixture call set, byte-exact, from its raw trace (read by the text reader). */
export function fixtureMessages(set: string): Uint8Array[] {
  const text = readFileSync(new URL(`../../fixtures/traces/raw/${set}.sip`, import.meta.url), 'latin1');
  return readTrace(text).messages.map((m) => Uint8Array.from(Buffer.from(m.raw, 'latin1')));
}

export function bytes(...parts: (Uint8Array | number[] | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function u16(v: number, little = false): number[] {
  return little ? [v & 0xff, (v >> 8) & 0xff] : [(v >> 8) & 0xff, v & 0xff];
}
function u32(v: number, little = false): number[] {
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return little ? b.reverse() : b;
}

export function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

export function ipv6Bytes(text: string): number[] {
  const [head = '', tail = ''] = text.includes('::') ? text.split('::') : [text, ''];
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = text.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

export interface Packet {
  readonly time: number; // seconds, fractional
  readonly data: Uint8Array;
  readonly original?: number;
}

// --- transport ---------------------------------------------------------------------------------------

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return bytes(u16(srcPort), u16(dstPort), u16(8 + payload.length), [0, 0], payload);
}

export const FLAG = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

export function tcp(srcPort: number, dstPort: number, seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  return bytes(u16(srcPort), u16(dstPort), u32(seq >>> 0), u32(0), [0x50, flags], u16(65535), [0, 0, 0, 0], payload);
}

// --- IP ----------------------------------------------------------------------------------------------

export function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array, frag: { id?: number; offset?: number; more?: boolean } = {}): Uint8Array {
  const flags = ((frag.more === true ? 0x2000 : 0) | ((frag.offset ?? 0) / 8)) & 0xffff;
  return bytes([0x45, 0], u16(20 + payload.length), u16(frag.id ?? 1), u16(flags), [64, protocol, 0, 0], ipv4Bytes(src), ipv4Bytes(dst), payload);
}

/** An IPv4 datagram cut into fragments of at most `size` payload bytes (a multiple of 8). */
export function ipv4Fragments(src: string, dst: string, protocol: number, payload: Uint8Array, size: number, id: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < payload.length; at += size) {
    out.push(ipv4(src, dst, protocol, payload.subarray(at, at + size), { id, offset: at, more: at + size < payload.length }));
  }
  return out;
}

/** IPv6 with optional extension headers given as [type, body] (body padded to the 8-byte unit). */
export function ipv6(src: string, dst: string, protocol: number, payload: Uint8Array, extensions: [number, Uint8Array][] = []): Uint8Array {
  const chain: Uint8Array[] = [];
  const types = [...extensions.map((e) => e[0]), protocol];
  extensions.forEach(([, body], i) => {
    const total = Math.ceil((body.length + 2) / 8) * 8;
    const ext = new Uint8Array(total);
    ext[0] = types[i + 1]!;
    ext[1] = total / 8 - 1;
    ext.set(body, 2);
    chain.push(ext);
  });
  const rest = bytes(...chain, payload);
  return bytes([0x60, 0, 0, 0], u16(rest.length), [types[0]!, 64], ipv6Bytes(src), ipv6Bytes(dst), rest);
}

export function ipv6Fragments(src: string, dst: string, protocol: number, payload: Uint8Array, size: number, id: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < payload.length; at += size) {
    const more = at + size < payload.length;
    const header = bytes([protocol, 0], u16(at | (more ? 1 : 0)), u32(id));
    const piece = bytes(header, payload.subarray(at, at + size));
    out.push(bytes([0x60, 0, 0, 0], u16(piece.length), [44, 64], ipv6Bytes(src), ipv6Bytes(dst), piece));
  }
  return out;
}

// --- link layers -------------------------------------------------------------------------------------

const MAC_A = [0x02, 0, 0, 0, 0, 0x0a];
const MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

export function ethernet(ip: Uint8Array, vlanTags: number[] = []): Uint8Array {
  const tags = vlanTags.flatMap((tpid, i) => [...u16(tpid), ...u16(100 + i)]);
  const type = (ip[0]! >> 4) === 6 ? 0x86dd : 0x0800;
  const frame = bytes(MAC_B, MAC_A, tags, u16(type), ip);
  // Short frames are padded to 60 bytes on the wire: the reader must use the IP length, not the frame's.
  return frame.length < 60 ? bytes(frame, new Array<number>(60 - frame.length).fill(0)) : frame;
}

export function linuxSll(ip: Uint8Array): Uint8Array {
  const type = (ip[0]! >> 4) === 6 ? 0x86dd : 0x0800;
  return bytes(u16(0), u16(1), u16(6), MAC_A, [0, 0], u16(type), ip);
}

export function linuxSll2(ip: Uint8Array): Uint8Array {
  const type = (ip[0]! >> 4) === 6 ? 0x86dd : 0x0800;
  return bytes(u16(type), u16(0), u32(2), u16(1), [0, 6], MAC_A, [0, 0], ip);
}

/** DLT_NULL: the address family in the capturing host's byte order (here little-endian, as on x86). */
export function bsdNull(ip: Uint8Array, family: number): Uint8Array {
  return bytes(u32(family, true), ip);
}

/** DLT_LOOP: the address family in network byte order. */
export function bsdLoop(ip: Uint8Array, family: number): Uint8Array {
  return bytes(u32(family), ip);
}

// --- WebSocket ---------------------------------------------------------------------------------------

export function wsFrame(payload: Uint8Array, options: { opcode?: number; fin?: boolean; mask?: number[]; rsv1?: boolean } = {}): Uint8Array {
  const b0 = (options.fin === false ? 0 : 0x80) | (options.rsv1 === true ? 0x40 : 0) | (options.opcode ?? 1);
  const maskBit = options.mask === undefined ? 0 : 0x80;
  const len = payload.length;
  const header = len < 126 ? [b0, maskBit | len] : len < 65536 ? [b0, maskBit | 126, ...u16(len)] : [b0, maskBit | 127, 0, 0, 0, 0, ...u32(len)];
  if (options.mask === undefined) return bytes(header, payload);
  const key = options.mask;
  const masked = payload.map((x, i) => x ^ key[i % 4]!);
  return bytes(header, key, masked);
}

// --- files -------------------------------------------------------------------------------------------

export function pcapFile(linkType: number, packets: readonly Packet[], options: { little?: boolean; nano?: boolean } = {}): Uint8Array {
  const little = options.little ?? true;
  const magic = options.nano === true ? 0xa1b23c4d : 0xa1b2c3d4;
  const parts: (number[] | Uint8Array)[] = [u32(magic, little), u16(2, little), u16(4, little), u32(0, little), u32(0, little), u32(262144, little), u32(linkType, little)];
  const unit = options.nano === true ? 1e9 : 1e6;
  for (const p of packets) {
    const seconds = Math.floor(p.time);
    const fraction = Math.round((p.time - seconds) * unit);
    parts.push(u32(seconds, little), u32(fraction, little), u32(p.data.length, little), u32(p.original ?? p.data.length, little), p.data);
  }
  return bytes(...parts);
}

export interface NgInterface {
  readonly linkType: number;
  /** if_tsresol byte; absent = microseconds. */
  readonly tsresol?: number;
  readonly tsoffset?: number;
  /** Extra options (code, value) written before the known ones, to test that unknown ones are skipped. */
  readonly extraOptions?: [number, Uint8Array][];
  readonly snapLength?: number;
}

export interface NgPacket extends Packet {
  readonly iface: number;
  /** A Simple Packet Block instead of an Enhanced one. */
  readonly simple?: boolean;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function block(type: number, body: Uint8Array, little: boolean): Uint8Array {
  const length = 12 + pad4(body.length);
  const padded = new Uint8Array(pad4(body.length));
  padded.set(body);
  return bytes(u32(type, little), u32(length, little), padded, u32(length, little));
}

function options(list: [number, Uint8Array][], little: boolean): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  const parts = list.map(([code, value]) => {
    const padded = new Uint8Array(pad4(value.length));
    padded.set(value);
    return bytes(u16(code, little), u16(value.length, little), padded);
  });
  return bytes(...parts, [0, 0, 0, 0]);
}

/** One pcapng section: SHB, IDBs, then the packets (EPB or SPB). */
export function pcapngSection(interfaces: readonly NgInterface[], packets: readonly NgPacket[], options_: { little?: boolean; shbOptions?: [number, Uint8Array][] } = {}): Uint8Array {
  const little = options_.little ?? true;
  const shb = block(0x0a0d0d0a, bytes(u32(0x1a2b3c4d, little), u16(1, little), u16(0, little), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], options(options_.shbOptions ?? [], little)), little);
  const idbs = interfaces.map((i) => {
    const opts: [number, Uint8Array][] = [...(i.extraOptions ?? [])];
    if (i.tsresol !== undefined) opts.push([9, Uint8Array.of(i.tsresol)]);
    // if_tsoffset is a signed 64-bit count of seconds.
    if (i.tsoffset !== undefined) opts.push([14, little ? bytes(u32(i.tsoffset, true), u32(0, true)) : bytes(u32(0), u32(i.tsoffset))]);
    return block(1, bytes(u16(i.linkType, little), u16(0, little), u32(i.snapLength ?? 262144, little), options(opts, little)), little);
  });
  const pbs = packets.map((p) => {
    if (p.simple === true) return block(3, bytes(u32(p.original ?? p.data.length, little), p.data), little);
    const iface = interfaces[p.iface];
    const r = iface?.tsresol ?? 6;
    const perSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    const units = BigInt(Math.round((p.time - (iface?.tsoffset ?? 0)) * 1e6)) * BigInt(Math.round(perSecond)) / 1_000_000n;
    const high = Number(units >> 32n);
    const low = Number(units & 0xffffffffn);
    return block(6, bytes(u32(p.iface, little), u32(high, little), u32(low, little), u32(p.data.length, little), u32(p.original ?? p.data.length, little), p.data), little);
  });
  return bytes(shb, ...idbs, ...pbs);
}

/** A whole SIP message split into TCP segments at the given byte offsets, with consecutive sequence numbers. */
export function segments(data: Uint8Array, cuts: number[], seq0: number): { seq: number; data: Uint8Array }[] {
  const bounds = [0, ...cuts, data.length];
  const out: { seq: number; data: Uint8Array }[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) out.push({ seq: (seq0 + bounds[i]!) >>> 0, data: data.subarray(bounds[i]!, bounds[i + 1]!) });
  return out;
}

export const LINK = { NULL: 0, ETHERNET: 1, RAW: 101, LOOP: 108, SLL: 113, SLL2: 276, IPV4: 228, IPV6: 229 } as const;
