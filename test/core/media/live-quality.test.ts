import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CallQualityAccumulator } from '../../../src/core/media/call-quality.js';
import { codecImpairment, mosFromR, rating } from '../../../src/core/media/e-model.js';
import { JITTER_BUFFER_MS } from '../../../src/core/media/media-stream.js';
import { readHepRtcp } from '../../../src/core/media/hep-rtcp.js';
import { parseVqReport } from '../../../src/core/media/vq-rtcpxr.js';
import { receiverReport, senderReport, xrVoip } from './rtp-builder.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/media-reports/${name}`, import.meta.url), 'utf8');
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const G711 = codecImpairment('PCMA')!;

describe('RFC 6035 voice quality reports', () => {
  it('reads the RFC example: call, addresses, and both metrics blocks', () => {
    const r = parseVqReport(fixture('rfc6035-session-report.txt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ kind: 'session', callTerm: true, callId: '6dg37f1890463' });
    expect(r.value.local).toEqual({ ip: '10.10.1.100', port: 5000, ssrc: 0x1a2b3c4d });
    expect(r.value.remote).toEqual({ ip: '11.1.1.150', port: 5002, ssrc: 0x2468abcd });
    expect(r.value.localMetrics).toEqual({ lossPercent: 5, discardPercent: 2, jitterMs: 2, roundTripMs: 200, mosLq: 4.2, mosCq: 4.3, rLq: 88, codec: 'G729' });
    expect(r.value.remoteMetrics?.mosLq).toBe(4.2);
  });

  it('reads a phone\'s report with no space after the colons and CallID after the metrics; RTD=0 is no measurement', () => {
    const r = parseVqReport(fixture('device-callterm.txt'));
    expect(r.ok && r.value.callId).toBe('329662837@192.168.1.21');
    expect(r.ok && r.value.local).toEqual({ ip: '192.168.1.21', port: 11784, ssrc: 0x1a2a9c52 });
    expect(r.ok && r.value.localMetrics).toEqual({ lossPercent: 0, discardPercent: 0, jitterMs: 0, mosLq: 3.8, mosCq: 3.8 });
    expect(r.ok && r.value.remoteMetrics).toBeUndefined();
  });

  it('refuses what is not a report, or a report that names no call, with stable codes', () => {
    expect(parseVqReport('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n')).toMatchObject({ ok: false, problem: { code: 'vq-not-report' } });
    expect(parseVqReport('VQIntervalReport\r\nLocalMetrics:\r\nQualityEst:MOSLQ=4.1\r\n')).toMatchObject({ ok: false, problem: { code: 'vq-no-call-id' } });
    expect(parseVqReport(`VQSessionReport\r\nCallID: x\r\n${'A'.repeat(20_000)}`)).toMatchObject({ ok: false, problem: { code: 'vq-too-large' } });
  });

  it('leaves out values outside their range (127 "unavailable", a MOS of 12.7)', () => {
    const r = parseVqReport('VQAlertReport: CallTerm\r\nCallID: a@b\r\nLocalMetrics:\r\nQualityEst: MOSLQ=12.7 MOSCQ=0 RLQ=127\r\nPacketLoss: NLR=250 JDR=1.5\r\n');
    expect(r.ok && r.value).toMatchObject({ kind: 'alert', localMetrics: { discardPercent: 1.5 } });
    expect(r.ok && r.value.localMetrics).toEqual({ discardPercent: 1.5 });
  });
});

describe('RTCP as HEP type 5 carries it', () => {
  it('reads rtpengine\'s JSON: reporter SSRC, the block about the other stream', () => {
    const r = readHepRtcp(bytes(fixture('rtpengine-rtcp.json')));
    expect(r).toEqual({
      ok: true,
      value: { ssrc: 3724882677, senderPackets: 514, srNtpMiddle: 3093400678, bye: false, voip: [], reports: [{ ssrc: 2062957521, fractionLost: 0, cumulativeLost: 0, highestSeq: 4663, jitter: 13, lsr: 3093100159, dlsr: 296222 }] },
    });
    // "ntp_timestamp_usec" holds the raw NTP fraction: the SR's middle bits (47201 s mod 2^16, and a fraction)
    // sit 5 s after the LSR the same packet quotes from the other side (47196 s), one RTCP interval, as they should.
    expect(r.ok && (r.value.srNtpMiddle ?? 0) >>> 16).toBe(47201);
    expect(3093100159 >>> 16).toBe(47196);
  });

  it('reads heplify\'s JSON (type 202 compound, an XR object without the VoIP block)', () => {
    const r = readHepRtcp(bytes(fixture('heplify-rtcp.json')));
    expect(r.ok && r.value.reports[0]).toMatchObject({ ssrc: 1393754395, jitter: 159 });
    expect(r.ok && r.value.voip).toEqual([]);
  });

  it('reads Asterisk res_hep_rtcp JSON, whose "lsr" is a string, and a negative or 24-bit-unsigned loss', () => {
    const asterisk = '{"ssrc":1111,"type":201,"report_count":1,"sender_information":null,"report_blocks":[{"source_ssrc":2222,"fraction_lost":64,"packets_lost":16777215,"highest_seq_no":70000,"ia_jitter":80,"lsr":"305419896","dlsr":6553}]}';
    const r = readHepRtcp(bytes(asterisk));
    expect(r.ok && r.value.reports[0]).toEqual({ ssrc: 2222, fractionLost: 0.25, cumulativeLost: -1, highestSeq: 70000, jitter: 80, lsr: 305419896, dlsr: 6553 });
  });

  it('reads heplify\'s XR VoIP block (type 7), and drops a report block whose jitter underflowed', () => {
    const json = '{"ssrc":1,"type":200,"report_blocks":[{"source_ssrc":2,"fraction_lost":0,"packets_lost":0,"ia_jitter":4294962322}],"report_blocks_xr":{"type":7,"id":2,"fraction_lost":26,"fraction_discard":5,"round_trip_delay":140}}';
    const r = readHepRtcp(bytes(json));
    expect(r.ok && r.value.reports).toEqual([]);
    expect(r.ok && r.value.voip).toEqual([{ ssrc: 2, lossRate: 26 / 256, discardRate: 5 / 256, roundTripMs: 140, jitterBufferNominalMs: 0, jitterBufferMaxMs: 0 }]);
  });

  it('reads a binary RTCP packet as forwarded by agents that do not convert it', () => {
    const rr = receiverReport(0xaaaa0001, [{ ssrc: 0xbbbb0002, fraction: 13, cumulative: 7, highest: 900, jitter: 160, lsr: 0, dlsr: 0 }]);
    const r = readHepRtcp(Uint8Array.from([...senderReport(0xaaaa0001, 5).slice(0, 0), ...rr]));
    expect(r.ok && r.value.reports[0]).toMatchObject({ ssrc: 0xbbbb0002, cumulativeLost: 7, jitter: 160 });
  });

  it('refuses junk with stable codes', () => {
    expect(readHepRtcp(bytes('{"ssrc":'))).toMatchObject({ ok: false, problem: { code: 'rtcp-json' } });
    expect(readHepRtcp(bytes('{"type":200}'))).toMatchObject({ ok: false, problem: { code: 'rtcp-json' } });
    expect(readHepRtcp(Uint8Array.from([1, 2, 3, 4]))).toMatchObject({ ok: false, problem: { code: 'rtcp-unreadable' } });
  });
});

describe('per-call quality from live reports', () => {
  const rr = (fraction: number, jitter: number): ReturnType<typeof readHepRtcp> =>
    readHepRtcp(bytes(JSON.stringify({ ssrc: 1, type: 201, report_blocks: [{ source_ssrc: 2, fraction_lost: fraction, packets_lost: 0, ia_jitter: jitter, lsr: 0, dlsr: 0 }] })));

  it('turns RTCP receiver reports into the quality of the direction they describe, MOS by the E-model', () => {
    const q = new CallQualityAccumulator();
    // Sent from A to B: A's view of what B sends, so the direction B → A. Mean loss 5 %, jitter 160 and 320 units at 8 kHz.
    for (const [f, j] of [[0, 160], [26, 320]] as const) {
      const r = rr(f, j);
      if (r.ok) q.rtcp(r.value, '192.0.2.1:4001', '198.51.100.2:5001');
    }
    const s = q.summary();
    expect(s?.directions).toEqual([{ from: '198.51.100.2:5001', to: '192.0.2.1:4001', mos: s?.mos, mosFrom: 'e-model', lossPercent: 5.08, jitterMs: 30, source: 'rtcp' }]);
    // G.107 defaults: R 93.2 less Ie,eff = 95·5.08/(5.08 + 25.1) ≈ 16 (G.711 with PLC, G.113 Bpl 25.1) and a
    // little delay impairment for 80 ms one way: R ≈ 75–77, MOS ≈ 3.8–3.9.
    expect(s?.mos).toBeGreaterThan(3.75);
    expect(s?.mos).toBeLessThan(3.95);
  });

  it('takes the endpoint\'s own MOS from an RFC 6035 report, both directions, worst first as the call\'s', () => {
    const q = new CallQualityAccumulator();
    const r = parseVqReport(fixture('rfc6035-session-report.txt').replace(/MOSLQ=4.2(?![\s\S]*MOSLQ)/, 'MOSLQ=3.1'));
    if (r.ok) q.vq(r.value);
    const s = q.summary();
    expect(s?.mos).toBe(3.1);
    expect(s?.directions.map((d) => [d.from, d.to, d.mos, d.mosFrom, d.lossPercent])).toEqual([
      ['11.1.1.150:5002', '10.10.1.100:5000', 4.2, 'reported', 7],
      ['10.10.1.100:5000', '11.1.1.150:5002', 3.1, 'reported', 7],
    ]);
  });

  it('takes an XR VoIP metrics packet sent alone: the endpoint\'s MOS, its loss plus discards, for the direction it receives', () => {
    const q = new CallQualityAccumulator();
    const r = readHepRtcp(Uint8Array.from(xrVoip(0xaaaa0001, 0xbbbb0002, { loss: 13, discard: 3, rtt: 120, r: 82, mosLq: 36, mosCq: 35, jbNominal: 40, jbMax: 80 })));
    expect(r.ok).toBe(true);
    if (r.ok) q.rtcp(r.value, '192.0.2.1:4001', '198.51.100.2:5001');
    expect(q.summary()).toEqual({
      mos: 3.6,
      directions: [{ from: '198.51.100.2:5001', to: '192.0.2.1:4001', mos: 3.6, mosFrom: 'reported', lossPercent: 6.25, jitterMs: 0, source: 'rtcp' }],
    });
  });

  it('carries the round trip LSR/DLSR give against the SR seen the other way into the E-model delay, on the capture clock', () => {
    const estimate = (rttMs: number | undefined, ppl: number): number => Number(mosFromR(rating({ ta: (rttMs ?? 0) / 2 + JITTER_BUFFER_MS + 20, ie: G711.ie, bpl: G711.bpl, ppl })).toFixed(2));
    const read = (b: number[]) => {
      const r = readHepRtcp(Uint8Array.from(b));
      if (!r.ok) throw new Error(r.problem.message);
      return r.value;
    };
    // B (0x2222) sends an SR at capture time 1,000 ms; A (0x1111) reports on it 400 ms later, having held it
    // 100 ms (DLSR in 1/65536 s): 300 ms there and back, 150 ms of it one way.
    const ntp = 0x12345678;
    const sr = read(senderReport(0x2222, ntp));
    const rr = read(receiverReport(0x1111, [{ ssrc: 0x2222, fraction: 13, cumulative: 5, highest: 1000, jitter: 80, lsr: ntp, dlsr: 6554 }]));
    const q = new CallQualityAccumulator();
    q.rtcp(sr, '198.51.100.2:5001', '192.0.2.1:4001', 1_000);
    q.rtcp(rr, '192.0.2.1:4001', '198.51.100.2:5001', 1_400);
    const loss = (100 * 13) / 256;
    expect(q.summary()?.mos).toBe(estimate(300, loss));
    expect(q.summary()?.mos).toBeLessThan(estimate(0, loss));
    // No capture time, or a report that came back before its SR (the capture point was not between them): no round trip.
    const untimed = new CallQualityAccumulator();
    untimed.rtcp(sr, '198.51.100.2:5001', '192.0.2.1:4001');
    untimed.rtcp(rr, '192.0.2.1:4001', '198.51.100.2:5001');
    expect(untimed.summary()?.mos).toBe(estimate(undefined, loss));
    const early = new CallQualityAccumulator();
    early.rtcp(sr, '198.51.100.2:5001', '192.0.2.1:4001', 1_000);
    early.rtcp(rr, '192.0.2.1:4001', '198.51.100.2:5001', 1_050);
    expect(early.summary()?.mos).toBe(estimate(undefined, loss));
  });

  it('has nothing to say before any report', () => {
    expect(new CallQualityAccumulator().summary()).toBeUndefined();
  });
});

describe('live report readers on hostile input', () => {
  it('never throw, whatever the bytes or text', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const r = readHepRtcp(b);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    const json = fixture('rtpengine-rtcp.json');
    fc.assert(
      fc.property(fc.nat(json.length), fc.string({ maxLength: 12 }), (at, junk) => {
        const r = readHepRtcp(bytes(json.slice(0, at) + junk + json.slice(at)));
        if (r.ok) for (const b of r.value.reports) expect(b.fractionLost).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
    const vq = fixture('rfc6035-session-report.txt');
    fc.assert(
      fc.property(fc.nat(vq.length), fc.string({ maxLength: 20 }), (at, junk) => {
        const r = parseVqReport(vq.slice(0, at) + junk + vq.slice(at));
        if (r.ok && r.value.localMetrics?.mosLq !== undefined) expect(r.value.localMetrics.mosLq).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
