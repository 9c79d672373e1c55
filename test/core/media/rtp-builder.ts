/** RTP and RTCP packets built byte by byte from RFC 3550 §5.1 and §6.4, independently of the reader. */
export interface RtpFields {
  seq: number;
  ts: number;
  ssrc?: number;
  pt?: number;
  marker?: boolean;
  payload?: number[];
}

export function rtp(f: RtpFields): Uint8Array {
  const ssrc = f.ssrc ?? 0x11223344;
  const payload = f.payload ?? new Array<number>(160).fill(0xd5);
  return Uint8Array.from([
    0x80, ((f.marker ? 1 : 0) << 7) | (f.pt ?? 0), (f.seq >> 8) & 0xff, f.seq & 0xff,
    (f.ts >>> 24) & 0xff, (f.ts >>> 16) & 0xff, (f.ts >>> 8) & 0xff, f.ts & 0xff,
    (ssrc >>> 24) & 0xff, (ssrc >>> 16) & 0xff, (ssrc >>> 8) & 0xff, ssrc & 0xff,
    ...payload,
  ]);
}

const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

export interface Block {
  ssrc: number;
  fraction: number;
  cumulative: number;
  highest: number;
  jitter: number;
  lsr: number;
  dlsr: number;
}

function block(b: Block): number[] {
  return [...be32(b.ssrc), b.fraction, (b.cumulative >> 16) & 0xff, (b.cumulative >> 8) & 0xff, b.cumulative & 0xff, ...be32(b.highest), ...be32(b.jitter), ...be32(b.lsr), ...be32(b.dlsr)];
}

/** A sender report with an NTP timestamp whose middle 32 bits are `ntpMiddle`. */
export function senderReport(ssrc: number, ntpMiddle: number, blocks: Block[] = []): number[] {
  const body = [...be32(ssrc), ...be32(ntpMiddle >>> 16), ...be32((ntpMiddle << 16) >>> 0), ...be32(1234), ...be32(50), ...be32(8000), ...blocks.flatMap(block)];
  return [0x80 | blocks.length, 200, 0, body.length / 4, ...body];
}

export function receiverReport(ssrc: number, blocks: Block[]): number[] {
  const body = [...be32(ssrc), ...blocks.flatMap(block)];
  return [0x80 | blocks.length, 201, 0, body.length / 4, ...body];
}

/** An XR packet with one VoIP Metrics block (RFC 3611 §4.7). */
export function xrVoip(ssrc: number, source: number, m: { loss: number; discard: number; rtt: number; r: number; mosLq: number; mosCq: number; jbNominal: number; jbMax: number }): number[] {
  const blockBody = [
    ...be32(source), m.loss, m.discard, 0, 0, 0, 0, 0, 0, (m.rtt >> 8) & 0xff, m.rtt & 0xff, 0, 0, 127, 127, 127, 127,
    m.r, 127, m.mosLq, m.mosCq, 0, 0, (m.jbNominal >> 8) & 0xff, m.jbNominal & 0xff, (m.jbMax >> 8) & 0xff, m.jbMax & 0xff, 0, 0,
  ];
  const blk = [7, 0, 0, blockBody.length / 4, ...blockBody];
  const body = [...be32(ssrc), ...blk];
  return [0x80, 207, 0, body.length / 4, ...body];
}
