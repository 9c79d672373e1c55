/**
 * Writes a large pcap of many short calls for memory and speed checks (the 60 MB, 100,000-call capture of
 * issue 13 is made at test time, never committed). Each call is one transaction, a request and its final
 * response over UDP between a PBX and a carrier, 100 calls a second; how each ends follows a fixed mix, so
 * the counts a triage must report are known from how the file was made.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** How call i ends: the mix repeats every 20 calls. */
const MIX: readonly { readonly method: 'INVITE' | 'REGISTER'; readonly code: number; readonly reason: string; readonly extra?: string }[] = [
  ...new Array<{ method: 'INVITE'; code: number; reason: string }>(10).fill({ method: 'INVITE', code: 200, reason: 'OK' }),
  ...new Array<{ method: 'INVITE'; code: number; reason: string }>(4).fill({ method: 'INVITE', code: 486, reason: 'Busy Here' }),
  ...new Array<{ method: 'INVITE'; code: number; reason: string; extra: string }>(3).fill({ method: 'INVITE', code: 503, reason: 'Service Unavailable', extra: 'Retry-After: 30\r\n' }),
  { method: 'INVITE', code: 404, reason: 'Not Found' },
  { method: 'REGISTER', code: 403, reason: 'Forbidden' },
  { method: 'INVITE', code: 480, reason: 'Temporarily Unavailable' },
];

export interface ManyCallsCapture {
  readonly bytes: number;
  readonly frames: number;
  readonly calls: number;
  /** Calls by final response code. */
  readonly byCode: ReadonlyMap<number, number>;
}

const PBX = [192, 0, 2, 10];
const CARRIER = [198, 51, 100, 20];

function packet(src: number[], dst: number[], sport: number, dport: number, sip: string, time: number, id: number): Buffer {
  const payload = Buffer.from(sip, 'latin1');
  const frame = Buffer.alloc(16 + 20 + 8 + payload.length);
  const seconds = Math.floor(time);
  frame.writeUInt32LE(seconds, 0);
  frame.writeUInt32LE(Math.round((time - seconds) * 1e6), 4);
  frame.writeUInt32LE(frame.length - 16, 8);
  frame.writeUInt32LE(frame.length - 16, 12);
  // Raw IP (LINKTYPE_RAW): no link-layer header to pay for in every packet.
  const ip = 16;
  frame[ip] = 0x45;
  frame.writeUInt16BE(20 + 8 + payload.length, ip + 2);
  frame.writeUInt16BE(id & 0xffff, ip + 4);
  frame[ip + 8] = 64;
  frame[ip + 9] = 17;
  frame.set(src, ip + 12);
  frame.set(dst, ip + 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += frame.readUInt16BE(ip + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  frame.writeUInt16BE(~sum & 0xffff, ip + 10);
  const udp = ip + 20;
  frame.writeUInt16BE(sport, udp);
  frame.writeUInt16BE(dport, udp + 2);
  frame.writeUInt16BE(8 + payload.length, udp + 4);
  payload.copy(frame, udp + 8);
  return frame;
}

/** Writes `calls` calls (about 600 bytes each on disk) to `path`. */
export async function writeManyCallsCapture(path: string, calls: number): Promise<ManyCallsCapture> {
  const out = createWriteStream(path);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(101, 20);
  out.write(header);
  let bytes = 24;
  let frames = 0;
  const byCode = new Map<number, number>();
  const t0 = 1_764_000_000;
  let batch: Buffer[] = [];
  for (let i = 0; i < calls; i++) {
    const kind = MIX[i % MIX.length]!;
    const id = i.toString(16).padStart(8, '0');
    const number = String(i % 10_000_000).padStart(7, '0');
    const callId = `${id}c@pbx.example`;
    const via = `Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK${id}\r\n`;
    const from = `From: <sip:alice@pbx.example>;tag=${id}f\r\n`;
    const aor = kind.method === 'INVITE' ? `sip:${number}@carrier.example` : 'sip:alice@carrier.example';
    const request =
      `${kind.method} ${kind.method === 'INVITE' ? aor : 'sip:carrier.example'} SIP/2.0\r\n${via}Max-Forwards: 70\r\n${from}To: <${aor}>\r\n` +
      `Call-ID: ${callId}\r\nCSeq: 1 ${kind.method}\r\nContact: <sip:alice@192.0.2.10>\r\nContent-Length: 0\r\n\r\n`;
    const response =
      `SIP/2.0 ${kind.code} ${kind.reason}\r\n${via}${from}To: <${aor}>;tag=${id}t\r\nCall-ID: ${callId}\r\nCSeq: 1 ${kind.method}\r\n` +
      `${kind.extra ?? ''}Content-Length: 0\r\n\r\n`;
    const time = t0 + i / 100;
    batch.push(packet(PBX, CARRIER, 5060, 5060, request, time, 2 * i), packet(CARRIER, PBX, 5060, 5060, response, time + 0.08, 2 * i + 1));
    frames += 2;
    byCode.set(kind.code, (byCode.get(kind.code) ?? 0) + 1);
    if (batch.length >= 2048) {
      const chunk = Buffer.concat(batch);
      bytes += chunk.length;
      batch = [];
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  const rest = Buffer.concat(batch);
  bytes += rest.length;
  out.end(rest);
  await once(out, 'finish');
  return { bytes, frames, calls, byCode };
}
