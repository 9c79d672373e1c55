import { MediaAnalyzer } from '../../../src/core/media/media-analyzer.js';
import { parseSipMessage } from '../../../src/core/sip/parse-message.js';
import type { SipMessage } from '../../../src/core/sip/message.js';
import type { Finding } from '../../../src/core/triage/finding.js';
import { triageMessages } from '../../../src/core/triage/triage.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { rtp } from './rtp-builder.js';

/** One side's SDP: where it asks to receive audio, and what it offers or accepts. */
export interface SdpSide {
  /** Host its SIP comes from in the capture. */
  readonly sip: string;
  /** c= address and m= port. */
  readonly media: string;
  readonly port: number;
  readonly proto?: string;
  readonly pts?: readonly number[];
  readonly direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

/** A run of RTP packets, one every `intervalMs` from `startMs`. */
export interface RtpRun {
  readonly from: string;
  readonly fromPort: number;
  readonly to: string;
  readonly toPort: number;
  readonly startMs: number;
  readonly count: number;
  readonly ssrc: number;
  readonly pt?: number;
  readonly intervalMs?: number;
  readonly payloadBytes?: number;
  /** Sequence numbers (0-based within the run) never sent. */
  readonly drop?: (i: number) => boolean;
  /** Extra arrival delay of packet i, in ms (network jitter). */
  readonly delayMs?: (i: number) => number;
}

export interface Scenario {
  readonly caller: SdpSide;
  readonly callee: SdpSide;
  /** Ms after the INVITE (at 0) that the 200 OK comes; the BYE at `byeAt`. */
  readonly answerAt: number;
  readonly byeAt: number;
  readonly rtp: readonly RtpRun[];
}

const CALL_ID = 'media-scenario@example.com';
const NAMES: Readonly<Record<number, string>> = { 0: 'PCMU/8000', 8: 'PCMA/8000', 18: 'G729/8000', 101: 'telephone-event/8000' };

function sdp(s: SdpSide): string {
  const pts = s.pts ?? [8, 101];
  const lines = [
    'v=0',
    `o=- 1 1 IN IP4 ${s.media}`,
    's=-',
    `c=IN IP4 ${s.media}`,
    't=0 0',
    `m=audio ${s.port} ${s.proto ?? 'RTP/AVP'} ${pts.join(' ')}`,
    ...pts.map((pt) => `a=rtpmap:${pt} ${NAMES[pt] ?? 'X/8000'}`),
    ...(s.proto?.includes('SAVP') ? ['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVzcyAoc2VuZGVy'] : []),
    `a=${s.direction ?? 'sendrecv'}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function message(start: string, headers: readonly string[], body: string, time: number, src: string, dst: string): SipMessage {
  const text = [start, ...headers, `Call-ID: ${CALL_ID}`, ...(body === '' ? [] : ['Content-Type: application/sdp']), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  const out = parseSipMessage(text, { meta: { time, src: { host: src, port: 5060 }, dst: { host: dst, port: 5060 }, transport: 'UDP', format: 'pcap' } });
  if (!out.ok) throw new Error(`scenario message did not parse: ${start}`);
  return out.message;
}

/** The SIP of one call: INVITE with the caller's SDP, 200 OK with the callee's, ACK, then BYE. */
export function callMessages(sc: Scenario): { setup: SipMessage[]; bye: SipMessage } {
  const { caller: a, callee: b } = sc;
  const dialog = (cseq: string, toTag: boolean, branch: string): string[] => [
    `Via: SIP/2.0/UDP ${a.sip}:5060;branch=z9hG4bK${branch}`,
    'From: <sip:alice@example.com>;tag=caller1',
    `To: <sip:bob@example.com>${toTag ? ';tag=callee1' : ''}`,
    `CSeq: ${cseq}`,
    `Contact: <sip:alice@${a.sip}>`,
  ];
  return {
    setup: [
      message('INVITE sip:bob@example.com SIP/2.0', dialog('1 INVITE', false, 'inv'), sdp(a), 0, a.sip, b.sip),
      message('SIP/2.0 200 OK', dialog('1 INVITE', true, 'inv'), sdp(b), sc.answerAt, b.sip, a.sip),
      message('ACK sip:bob@example.com SIP/2.0', dialog('1 ACK', true, 'ack'), '', sc.answerAt + 10, a.sip, b.sip),
    ],
    bye: message('BYE sip:bob@example.com SIP/2.0', dialog('2 BYE', true, 'bye'), '', sc.byeAt, a.sip, b.sip),
  };
}

interface Datagram {
  readonly bytes: Uint8Array;
  readonly run: RtpRun;
  readonly time: number;
}

function datagrams(runs: readonly RtpRun[]): Datagram[] {
  const out: Datagram[] = [];
  for (const run of runs) {
    const interval = run.intervalMs ?? 20;
    const ticks = interval * 8;
    for (let i = 0; i < run.count; i++) {
      if (run.drop?.(i) === true) continue;
      const bytes = rtp({ seq: (1000 + i) & 0xffff, ts: 8000 + i * ticks, ssrc: run.ssrc, pt: run.pt ?? 8, payload: new Array<number>(run.payloadBytes ?? ticks).fill(0xd5) });
      out.push({ bytes, run, time: run.startMs + i * interval + (run.delayMs?.(i) ?? 0) });
    }
  }
  return out.sort((x, y) => x.time - y.time);
}

/** Runs the capture path on the scenario: SDP, then the RTP in time order, then the BYE; the call's findings. */
export function scenarioFindings(sc: Scenario): Finding[] {
  const analyzer = new MediaAnalyzer();
  const { setup, bye } = callMessages(sc);
  for (const m of setup) analyzer.message(m);
  let frame = 10;
  for (const d of datagrams(sc.rtp)) analyzer.datagram(d.bytes, d.run.from, d.run.fromPort, d.run.to, d.run.toPort, d.time, frame++);
  analyzer.message(bye);
  const report = triageMessages(defaultKnowledge(), [...setup, bye], [], { format: 'pcap', media: analyzer.finish() });
  if (report.calls.length !== 1) throw new Error(`expected one call, got ${report.calls.length}`);
  return [...report.calls[0]!.findings];
}

export const ids = (findings: readonly Finding[]): string[] => findings.map((f) => f.id);
