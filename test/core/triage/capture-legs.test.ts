import { describe, expect, it } from 'vitest';
import { triageSummaryCard } from '../../../src/core/card/triage-summary.js';
import { DEFAULT_LEG_OPTIONS } from '../../../src/core/calls/leg-keys.js';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import { CaptureTriage, type CaptureTriageOptions } from '../../../src/core/triage/capture-triage.js';
import { triageMessages } from '../../../src/core/triage/triage.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { bytes, ipv4, pcapFile, udp, LINK, type Packet } from '../capture/capture-builder.js';

const kb = defaultKnowledge();
const open = { numbers: false, addresses: false };
const A = 'a1f3c9e27b5d4e80@192.0.2.10';
const B = 'SBC-7731-0042@203.0.113.5';
const XCID = 'a1f3c9e27b5d4e80@192.0.2.10';
const VERDICT = 'The B leg got 503 Service Unavailable from the carrier (203.0.113.7:5060); the SBC answered the caller 500 Server Internal Error.';

interface Hop {
  readonly from: string;
  readonly to: string;
}
const CALLER: Hop = { from: '192.0.2.10', to: '198.51.100.5' };
const SBC_OUT: Hop = { from: '203.0.113.5', to: '203.0.113.7' };
const OTHER: Hop = { from: '192.0.2.20', to: '198.51.100.20' };

/** An INVITE (with `extra` headers) from hop.from, at `time` seconds. */
function invite(hop: Hop, callId: string, time: number, extra = ''): Packet {
  const text =
    `INVITE sip:+15550100@${hop.to} SIP/2.0\r\nVia: SIP/2.0/UDP ${hop.from}:5060;branch=z9hG4bK-${callId.slice(0, 12)}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:+15550199@${hop.from}>;tag=f-${callId.slice(0, 8)}\r\nTo: <sip:+15550100@${hop.to}>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\n${extra}Content-Length: 0\r\n\r\n`;
  return { time, data: ipv4(hop.from, hop.to, 17, udp(5060, 5060, bytes(text))) };
}

/** The final answer to that INVITE, back from hop.to. */
function answer(hop: Hop, callId: string, time: number, status: string, extra = ''): Packet {
  const text =
    `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP ${hop.from}:5060;branch=z9hG4bK-${callId.slice(0, 12)}\r\n` +
    `From: <sip:+15550199@${hop.from}>;tag=f-${callId.slice(0, 8)}\r\nTo: <sip:+15550100@${hop.to}>;tag=t-${callId.slice(0, 8)}\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\n${extra}Content-Length: 0\r\n\r\n`;
  return { time, data: ipv4(hop.to, hop.from, 17, udp(5060, 5060, bytes(text))) };
}

const B_503 = (time: number): Packet => answer(SBC_OUT, B, time, '503 Service Unavailable', 'Reason: Q.850;cause=34;text="No circuit/channel available"\r\n');
const A_500 = (time: number): Packet => answer(CALLER, A, time, '500 Server Internal Error', 'Server: edge-sbc 4.2\r\n');

/** Unrelated failing calls, one every `every` seconds from `from`, each ending one of three ways. */
function others(n: number, from: number, every: number): Packet[] {
  const codes = ['486 Busy Here', '404 Not Found', '480 Temporarily Unavailable'];
  return Array.from({ length: n }, (_, i) => {
    const id = `other-${String(i).padStart(6, '0')}@192.0.2.20`;
    const t = from + i * every;
    return [invite(OTHER, id, t), answer(OTHER, id, t + 0.05, codes[i % codes.length]!)];
  }).flat();
}

function streamed(file: Uint8Array, options: CaptureTriageOptions): { result: ReturnType<CaptureTriage['end']>; maxLegCalls: number } {
  const triage = new CaptureTriage(kb, { redact: open, ...options });
  let maxLegCalls = 0;
  for (let at = 0; at < file.length; at += 4096) {
    triage.push(file.subarray(at, at + 4096));
    maxLegCalls = Math.max(maxLegCalls, triage.held.legCalls);
  }
  const result = triage.end();
  return { result, maxLegCalls: Math.max(maxLegCalls, triage.held.legCalls) };
}

describe('legs joined in a capture read as a stream', () => {
  it('holds at most maxLegCalls calls for joining among 3,000 unrelated ones, counts the rest, and still joins the pair', () => {
    const packets = [invite(CALLER, A, 1000, `X-CID: ${XCID}\r\n`), invite(SBC_OUT, B, 1000.1, `X-CID: ${XCID}\r\n`), B_503(1000.2), A_500(1000.3), ...others(3000, 1001, 0.05)];
    const file = pcapFile(LINK.IPV4, packets);
    const { result, maxLegCalls } = streamed(file, { legs: DEFAULT_LEG_OPTIONS, maxLegCalls: 500, detailed: 10 });
    expect(result.totals.calls).toBe(3002);
    expect(maxLegCalls).toBe(500);
    expect(result.totals.legs).toEqual({ groups: 1, unjoined: 2502 });
    expect(result.report.problems).toContainEqual({
      code: 'legs-not-joined',
      message: '2502 calls were not looked at for legs of one call through a B2BUA: the capture holds more calls than are remembered for joining',
    });
    // Ten calls kept in full among 3,000 failing ones, the two legs of the joined call among them.
    expect(result.report.calls).toHaveLength(10);
    expect(result.report.calls.map((c) => c.call.callId)).toEqual(expect.arrayContaining([A, B]));
    expect(result.report.legs).toEqual([{ callIds: [A, B], failedFirst: B, verdict: VERDICT }]);
    expect(triageSummaryCard(kb, result.report, result.totals).summary).toBe(VERDICT);
    // The same group as the same messages triaged whole, as a text trace is.
    const read = readCapture(file);
    expect(triageMessages(kb, read.messages, [], { legs: DEFAULT_LEG_OPTIONS, redact: open }).legs).toEqual(result.report.legs);
  });

  it('counts a pair that comes after the joiner is full as not joined, rather than joining it wrongly', () => {
    const packets = [...others(600, 1000, 0.05), invite(CALLER, A, 1100, `X-CID: ${XCID}\r\n`), invite(SBC_OUT, B, 1100.1, `X-CID: ${XCID}\r\n`), B_503(1100.2), A_500(1100.3)];
    const { result } = streamed(pcapFile(LINK.IPV4, packets), { legs: DEFAULT_LEG_OPTIONS, maxLegCalls: 500 });
    expect(result.totals.legs).toEqual({ groups: 0, unjoined: 102 });
    expect(result.report.legs).toBeUndefined();
    expect(result.report.problems.map((p) => p.code)).toContain('legs-not-joined');
  });

  it('keeps a later leg with its kept failing leg, letting a less telling call go instead', () => {
    // The B leg ends first, then three calls that fail in new ways fill the report; the A leg ends last.
    const packets = [invite(CALLER, A, 0, `X-CID: ${XCID}\r\n`), invite(SBC_OUT, B, 0.1, `X-CID: ${XCID}\r\n`), B_503(0.2), ...others(3, 100, 100), A_500(400)];
    const file = pcapFile(LINK.IPV4, packets);
    const joined = streamed(file, { legs: DEFAULT_LEG_OPTIONS, detailed: 3 }).result.report;
    expect(joined.calls.map((c) => c.call.callId)).toEqual([A, B, 'other-000000@192.0.2.20']);
    expect(joined.legs).toEqual([{ callIds: [A, B], failedFirst: B, verdict: VERDICT }]);
    // Not joined, the A leg tells least (it ended last) and is let go.
    const apart = streamed(file, { detailed: 3 }).result.report;
    expect(apart.calls.map((c) => c.call.callId)).toEqual([B, 'other-000000@192.0.2.20', 'other-000001@192.0.2.20']);
    expect(apart.legs).toBeUndefined();
  });

  it('lets the legs of an answered joined call go together when failing calls need the room', () => {
    const packets = [
      invite(CALLER, A, 0, `X-CID: ${XCID}\r\n`),
      invite(SBC_OUT, B, 0.1, `X-CID: ${XCID}\r\n`),
      answer(SBC_OUT, B, 0.2, '200 OK'),
      answer(CALLER, A, 0.3, '200 OK'),
      ...others(1, 100, 1),
    ];
    const { result } = streamed(pcapFile(LINK.IPV4, packets), { legs: DEFAULT_LEG_OPTIONS, detailed: 2 });
    expect(result.report.calls.map((c) => c.call.callId)).toEqual(['other-000000@192.0.2.20']);
    // The pair was joined, but a group is shown only with every leg kept.
    expect(result.totals.legs).toEqual({ groups: 1, unjoined: 0 });
    expect(result.report.legs).toBeUndefined();
  });
});
