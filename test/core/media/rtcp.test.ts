import { describe, expect, it } from 'vitest';
import { MediaAnalyzer } from '../../../src/core/media/media-analyzer.js';
import { readRtcp } from '../../../src/core/media/rtcp-packet.js';
import { receiverReport, senderReport, xrVoip } from './rtp-builder.js';

const A = 0xaaaa0001;
const B = 0xbbbb0002;

describe('RTCP sender and receiver reports', () => {
  it('reads an SR with a report block: fraction lost, cumulative lost, jitter, LSR and DLSR', () => {
    const r = readRtcp(Uint8Array.from(senderReport(A, 0x12345678, [{ ssrc: B, fraction: 64, cumulative: 12, highest: 70000, jitter: 80, lsr: 0x11112222, dlsr: 32768 }])));
    expect(r).toMatchObject({ ssrc: A, srNtpMiddle: 0x12345678 });
    expect(r?.reports[0]).toEqual({ ssrc: B, fractionLost: 0.25, cumulativeLost: 12, highestSeq: 70000, jitter: 80, lsr: 0x11112222, dlsr: 32768 });
  });

  it('reads a negative cumulative loss (duplicates), as the 24-bit signed field allows', () => {
    const r = readRtcp(Uint8Array.from(receiverReport(A, [{ ssrc: B, fraction: 0, cumulative: 0xfffffe, highest: 1, jitter: 0, lsr: 0, dlsr: 0 }])));
    expect(r?.reports[0]?.cumulativeLost).toBe(-2);
  });

  it('refuses what is not RTCP: wrong version, a length past the end, or an SDES first', () => {
    const sr = senderReport(A, 1);
    expect(readRtcp(Uint8Array.from([0x40, ...sr.slice(1)]))).toBeUndefined();
    expect(readRtcp(Uint8Array.from(sr.slice(0, -4)))).toBeUndefined();
    expect(readRtcp(Uint8Array.from([0x81, 202, 0, 1, 0, 0, 0, 1]))).toBeUndefined();
  });

  it('works out the round trip from the SR seen going one way and the RR coming back (RFC 3550 §6.4.1)', () => {
    const a = new MediaAnalyzer();
    // A sends an SR at t = 1000 ms; B answers at t = 1250 ms having held it 200 ms: RTT = 250 − 200 = 50 ms.
    a.datagram(Uint8Array.from(senderReport(A, 0xcafe0001)), '192.0.2.1', 40001, '198.51.100.2', 50001, 1000, 1);
    a.datagram(Uint8Array.from(receiverReport(B, [{ ssrc: A, fraction: 26, cumulative: 3, highest: 500, jitter: 160, lsr: 0xcafe0001, dlsr: Math.round(0.2 * 65536) }])), '198.51.100.2', 50001, '192.0.2.1', 40001, 1250, 2);
    const [s] = a.finish().rtcp;
    expect(s).toMatchObject({ reporter: B, source: A, from: '198.51.100.2:50001', to: '192.0.2.1:40001', cumulativeLost: 3 });
    expect(s?.rttMs).toBeCloseTo(50, 1);
    // 160 timestamp units at 8 kHz (no stream known for A: 8 kHz assumed) = 20 ms.
    expect(s?.jitterMs).toBeCloseTo(20, 6);
    expect(s?.fractionLost).toBeCloseTo(26 / 256, 6);
  });

  it('reads RTCP XR VoIP metrics (RFC 3611 §4.7), leaving out what the sender marks unavailable', () => {
    const r = readRtcp(Uint8Array.from([...receiverReport(A, []), ...xrVoip(A, B, { loss: 13, discard: 3, rtt: 120, r: 82, mosLq: 41, mosCq: 39, jbNominal: 40, jbMax: 80 })]));
    expect(r?.voip).toEqual([{ ssrc: B, lossRate: 13 / 256, discardRate: 3 / 256, roundTripMs: 120, rFactor: 82, mosLq: 4.1, mosCq: 3.9, jitterBufferNominalMs: 40, jitterBufferMaxMs: 80 }]);
  });
});
