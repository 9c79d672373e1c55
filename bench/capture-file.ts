import { createWriteStream } from 'node:fs';
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';

/** What a SIP message in the generated file is, known from how it was made (tshark's .tsv, rewritten). */
export interface TruthRow {
  /** 1-based frame number in the generated file. */
  readonly frame: number;
  readonly status: string;
  readonly callId: string;
  readonly cseq: string;
  /** Written with "Call-ID  :" (whitespace before the colon, legal per RFC 3261 §25.1). */
  readonly spaced: boolean;
}

interface FixtureFrame {
  readonly seconds: number;
  readonly micros: number;
  readonly data: Uint8Array;
  readonly sip: { status: string; callId: string; cseq: string } | undefined;
}

const DIR = new URL('../test/fixtures/captures/', import.meta.url);

// The classic-pcap fixtures, frame by frame, with what tshark said about the SIP in each (PROVENANCE.md).
function loadFixtures(): { name: string; frames: FixtureFrame[] }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.pcap'))
    .sort()
    .map((name) => {
      const file = readFileSync(new URL(name, DIR));
      const tsv = readFileSync(new URL(name.replace(/\.pcap$/, '.tshark.tsv'), DIR), 'utf8').trim().split('\n').slice(1);
      const sip = new Map(tsv.map((l) => l.split('\t')).map((c) => [Number(c[0]), { status: c[11] ?? '', callId: c[12] ?? '', cseq: c[13] ?? '' }]));
      const frames: FixtureFrame[] = [];
      for (let at = 24, n = 1; at + 16 <= file.length; n++) {
        const length = file.readUInt32LE(at + 8);
        frames.push({ seconds: file.readUInt32LE(at), micros: file.readUInt32LE(at + 4), data: file.subarray(at + 16, at + 16 + length), sip: sip.get(n) });
        at += 16 + length;
      }
      return { name, frames };
    });
}

// Every fixture Call-ID is "<n>-<16 hex>@uac.example.com"; the hex is replaced by one of the same length, so
// no length field in the packet changes.
const CALL_ID = /(\d-)([0-9a-f]{16})(@uac\.example\.com)/g;
function callIdFor(original: string, iteration: number): string {
  return original.replace(CALL_ID, (_m, a: string, hex: string, b: string) => `${a}${iteration.toString(16).padStart(8, '0')}${hex.slice(8)}${b}`);
}

/**
 * A fixture frame as repetition `iteration` of it: Call-IDs and media ports renumbered, a fresh IPv4 identification (so that
 * fragments of different repetitions are never put together) and, for the TCP call set, a fresh client port
 * (a new connection, not a retransmission of the first one). The IPv4 header checksum is recomputed.
 */
function rewrite(data: Uint8Array, iteration: number): Buffer {
  // SDP media ports move too (same number of digits): tshark sets up an RTP conversation per SDP, and with
  // the same address and port in every repetition its lookups grow with the file (quadratic time).
  const text = callIdFor(Buffer.from(data).toString('latin1'), iteration).replace(/^m=audio (\d{4}) /gm, (_m, port: string) => `m=audio ${1000 + ((Number(port) + iteration * 2) % 8000)} `);
  const out = Buffer.from(text, 'latin1');
  if (out.length < 34 || out.readUInt16BE(12) !== 0x0800) return out;
  out.writeUInt16BE((out.readUInt16BE(18) + iteration * 7) & 0xffff, 18);
  if (out[23] === 6) {
    const port = 20000 + (iteration % 40000);
    if (out.readUInt16BE(34) === TCP_CLIENT_PORT) out.writeUInt16BE(port, 34);
    if (out.readUInt16BE(36) === TCP_CLIENT_PORT) out.writeUInt16BE(port, 36);
  }
  ipv4Checksum(out);
  return out;
}

// The SIPp client's port in the TCP call set (16-success-tcp: 5216 → 5116).
const TCP_CLIENT_PORT = 5216;

function ipv4Checksum(frame: Buffer): void {
  frame.writeUInt16BE(0, 24);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += frame.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  frame.writeUInt16BE(~sum & 0xffff, 24);
}

/**
 * "Call-ID: x" → "Call-ID  : x" in a UDP/IPv4 Ethernet frame: two bytes longer, so the IPv4 total length,
 * its header checksum and the UDP length are rewritten, and the UDP checksum set to 0 (none, RFC 768).
 */
function spaceCallId(frame: Uint8Array): Buffer | undefined {
  const text = Buffer.from(frame).toString('latin1');
  const at = text.indexOf('\r\nCall-ID: ');
  if (at === -1 || frame[23] !== 17) return undefined;
  const out = Buffer.from(`${text.slice(0, at)}\r\nCall-ID  :${text.slice(at + 10)}`, 'latin1');
  const grown = out.length - frame.length;
  out.writeUInt16BE(out.readUInt16BE(16) + grown, 16);
  ipv4Checksum(out);
  out.writeUInt16BE(out.readUInt16BE(38) + grown, 38);
  out.writeUInt16BE(0, 40);
  return out;
}

/**
 * Writes a pcap of about `targetBytes` by repeating every fixture capture with timestamps moved on past the previous repetition
 * and Call-IDs renumbered per repetition; every 7th repetition of the busy call (set 02) spells its Call-ID
 * header "Call-ID  :". Returns what each SIP message in the file is, in frame order.
 */
export async function writeBenchCapture(path: string, targetBytes: number): Promise<{ bytes: number; frames: number; truth: TruthRow[] }> {
  const fixtures = loadFixtures();
  const out = createWriteStream(path);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  out.write(header);
  let bytes = 24;
  let frames = 0;
  const truth: TruthRow[] = [];
  const seconds = fixtures.flatMap((x) => x.frames.map((f) => f.seconds));
  const base = Math.min(...seconds);
  // Each repetition starts after the previous one ends, so time only moves forward through the file.
  const period = Math.max(...seconds) - base + 10;
  for (let iteration = 0; bytes < targetBytes; iteration++) {
    const chunks: Buffer[] = [];
    for (const { name, frames: list } of fixtures) {
      const spaced = name.startsWith('02-') && iteration % 7 === 3;
      for (const f of list) {
        let data = rewrite(f.data, iteration);
        const isSpaced = spaced && f.sip !== undefined && spaceCallId(data) !== undefined;
        if (isSpaced) data = spaceCallId(data) ?? data;
        const record = Buffer.alloc(16);
        record.writeUInt32LE(f.seconds + iteration * period, 0);
        record.writeUInt32LE(f.micros, 4);
        record.writeUInt32LE(data.length, 8);
        record.writeUInt32LE(data.length, 12);
        chunks.push(record, Buffer.from(data));
        bytes += 16 + data.length;
        frames++;
        if (f.sip !== undefined) truth.push({ frame: frames, status: f.sip.status, callId: callIdFor(f.sip.callId, iteration), cseq: f.sip.cseq, spaced: isSpaced });
      }
    }
    if (!out.write(Buffer.concat(chunks))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, frames, truth };
}
