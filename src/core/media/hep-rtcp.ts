import { fail, ok, type Result } from '../result.js';
import { readRtcp, type ReportBlock, type RtcpCompound, type VoipMetrics } from './rtcp-packet.js';

/** HEP payload protocol type 5: RTCP (HEP3 specification, chunk 0x000b). */
export const HEP_PROTOCOL_RTCP = 5;

const MAX_PAYLOAD = 65_535;
const U32 = 0xffffffff;

/**
 * The RTCP of a HEP type-5 packet, whichever way the agent sent it. heplify, rtpengine and Asterisk
 * res_hep_rtcp send the report as JSON ({"ssrc","type","report_blocks":[{"source_ssrc","fraction_lost",
 * "packets_lost","highest_seq_no","ia_jitter","lsr","dlsr"}],"sender_information",…}; Asterisk writes
 * "lsr" as a string, heplify adds "report_blocks_xr" with the RFC 3611 VoIP metrics); others forward the
 * RTCP packet itself, read here as the capture path reads it (RFC 3550 §6.4).
 */
export function readHepRtcp(payload: Uint8Array): Result<RtcpCompound> {
  if (payload.length > MAX_PAYLOAD) return fail('rtcp-too-large', 'the RTCP payload is over 64 KiB');
  let i = 0;
  while (i < payload.length && (payload[i] === 0x20 || payload[i] === 0x0a || payload[i] === 0x0d || payload[i] === 0x09)) i++;
  if (payload[i] === 0x7b) return fromJson(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  const binary = readRtcp(payload);
  return binary === undefined ? fail('rtcp-unreadable', 'the payload is neither RTCP JSON nor an RTCP packet') : ok(binary);
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A whole number within [min, max], also from a numeric string (Asterisk's "lsr"). */
function whole(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function fromJson(text: string): Result<RtcpCompound> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('rtcp-json', 'the RTCP JSON does not parse');
  }
  if (!isObject(doc)) return fail('rtcp-json', 'the RTCP JSON is not an object');
  const ssrc = whole(doc.ssrc, 0, U32);
  if (ssrc === undefined) return fail('rtcp-json', 'the RTCP JSON has no valid "ssrc"');
  const blocks = Array.isArray(doc.report_blocks) ? doc.report_blocks.slice(0, 31).flatMap((b) => block(b) ?? []) : [];
  const voip = xr(doc.report_blocks_xr, ssrc);
  const info = isObject(doc.sender_information) ? doc.sender_information : undefined;
  const sender = info === undefined ? undefined : whole(info.packets, 0, U32);
  const ntp = info === undefined ? undefined : ntpMiddle(info.ntp_timestamp_sec, info.ntp_timestamp_usec);
  return ok({ ssrc, reports: blocks, voip: voip === undefined ? [] : [voip], bye: false, ...(sender === undefined ? {} : { senderPackets: sender }), ...(ntp === undefined ? {} : { srNtpMiddle: ntp }) });
}

/**
 * The middle 32 bits of an SR's NTP time (what a later report's LSR repeats, RFC 3550 §6.4.1). rtpengine and
 * heplify print the raw 32-bit fraction under the name "ntp_timestamp_usec"; a value that fits in a second of
 * microseconds is taken as microseconds, as the name says.
 */
function ntpMiddle(sec: unknown, frac: unknown): number | undefined {
  const s = whole(sec, 0, U32);
  const f = whole(frac, 0, U32);
  if (s === undefined || f === undefined) return undefined;
  const fraction = f < 1_000_000 ? Math.floor((f * 2 ** 32) / 1_000_000) : f;
  return (((s & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

function block(b: unknown): ReportBlock | undefined {
  if (!isObject(b)) return undefined;
  const source = whole(b.source_ssrc, 0, U32);
  const fraction = whole(b.fraction_lost, 0, 255);
  // 24-bit signed in the packet (RFC 3550 §6.4.1); agents print it either sign-extended or as unsigned.
  let lost = whole(b.packets_lost, -0x800000, 0xffffff);
  if (lost !== undefined && lost >= 0x800000) lost -= 0x1000000;
  // A jitter past 2^31 is an agent's own underflow, not a measurement (seen in heplify output).
  const jitter = whole(b.ia_jitter, 0, 0x7fffffff);
  if (source === undefined || fraction === undefined || lost === undefined || jitter === undefined) return undefined;
  return { ssrc: source, fractionLost: fraction / 256, cumulativeLost: lost, highestSeq: whole(b.highest_seq_no, 0, U32) ?? 0, jitter, lsr: whole(b.lsr, 0, U32) ?? 0, dlsr: whole(b.dlsr, 0, U32) ?? 0 };
}

/** heplify's "report_blocks_xr": type 7 is the VoIP metrics block, rates in 1/256 as in RFC 3611 §4.7. */
function xr(x: unknown, ssrc: number): VoipMetrics | undefined {
  if (!isObject(x) || whole(x.type, 0, 255) !== 7) return undefined;
  const loss = whole(x.fraction_lost, 0, 255);
  const discard = whole(x.fraction_discard, 0, 255);
  if (loss === undefined || discard === undefined) return undefined;
  const rtt = whole(x.round_trip_delay, 1, 65_534);
  return { ssrc: whole(x.id, 0, U32) ?? ssrc, lossRate: loss / 256, discardRate: discard / 256, ...(rtt === undefined ? {} : { roundTripMs: rtt }), jitterBufferNominalMs: 0, jitterBufferMaxMs: 0 };
}
