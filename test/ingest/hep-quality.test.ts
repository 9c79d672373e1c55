import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { encodeHep3 } from '../../src/core/hep/encode-hep.js';
import { hashCallId, type CallEvent } from '../../src/core/triage/call-events.js';
import type { QualityUpdate } from '../../src/ingest/call-quality-tracker.js';
import { HepCollector } from '../../src/ingest/hep-collector.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { counterValue } from './metrics-reader.js';
import { rawPayloads } from './raw-fixtures.js';

const kb = loadKnowledge();
const log = createLogger({ level: 'silent', pretty: false });
const A = { host: '192.0.2.10', port: 40001 };
const B = { host: '198.51.100.20', port: 50001 };

function collector() {
  const metrics = createMetrics({ topPeers: 5, processMetrics: false });
  const events: CallEvent[] = [];
  const quality: QualityUpdate[] = [];
  let now = 1_000_000;
  const c = new HepCollector({ kb, metrics, log, maxOpenCalls: 100, queuePackets: 100, onEvents: (e) => events.push(...e), onQuality: (u) => quality.push(u), now: () => now });
  return { c, metrics, events, quality, advance: (ms: number) => (now += ms) };
}

const rr = (fraction: number) => JSON.stringify({ ssrc: 7, type: 201, report_blocks: [{ source_ssrc: 9, fraction_lost: fraction, packets_lost: 3, ia_jitter: 80, lsr: 0, dlsr: 0 }] });

function publish(callId: string, template: string): string {
  const body = template.replace('CALLID', callId);
  return [
    'PUBLISH sip:collector@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKvq1',
    'From: <sip:alice@example.com>;tag=vq1',
    'To: <sip:collector@example.com>',
    'Call-ID: vq-publish-1@192.0.2.10',
    'CSeq: 1 PUBLISH',
    'Event: vq-rtcpxr',
    'Content-Type: application/vq-rtcpxr',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

describe('HepCollector: live audio quality', () => {
  it('gathers RTCP by the HEP correlation id and hands the quality on once the reports have stopped for 20 s', () => {
    const { c, quality, advance } = collector();
    c.process(encodeHep3({ src: A, dst: B, protocolType: 5, correlationId: 'call-9', payload: rr(0) }));
    advance(5000);
    c.process(encodeHep3({ src: A, dst: B, protocolType: 5, correlationId: 'call-9', payload: rr(52) }));
    advance(19_000);
    c.sweep();
    expect(quality).toEqual([]);
    advance(2000);
    c.sweep();
    expect(quality).toHaveLength(1);
    expect(quality[0]).toMatchObject({ callIdHash: hashCallId('call-9'), peer: null, quality: { directions: [{ from: '198.51.100.20:50001', to: '192.0.2.10:40001', lossPercent: 10.16, jitterMs: 10, source: 'rtcp' }] } });
  });

  it('reads an RFC 6035 PUBLISH at once on CallTerm, with the peer of the call it reports on, and keeps it out of the call table', async () => {
    const { c, events, quality, advance } = collector();
    // The call itself (a real SIPp 200 OK call), judged first: its peer goes with the quality.
    for (const text of rawPayloads('01-success-200')) c.process(encodeHep3({ src: A, dst: B, payload: text }));
    advance(5000);
    c.sweep();
    await c.idle();
    const callId = /Call-ID: *(\S+)/i.exec(rawPayloads('01-success-200')[0]!)![1]!;
    const event = events.find((e) => e.callIdHash === hashCallId(callId))!;
    const judged = events.length;
    expect(event.kind).toBe('answered');
    const body = 'VQSessionReport: CallTerm\r\nCallID: CALLID\r\nLocalAddr: IP=192.0.2.10 PORT=40000 SSRC=0x0000000a\r\nRemoteAddr: IP=198.51.100.20 PORT=50000 SSRC=0x0000000b\r\nLocalMetrics:\r\nPacketLoss: NLR=1.0 JDR=0.5\r\nDelay: RTD=80 IAJ=7\r\nQualityEst: MOSLQ=3.4 MOSCQ=3.3\r\n';
    c.process(encodeHep3({ src: A, dst: B, payload: publish(callId, body) }));
    expect(quality).toHaveLength(1);
    expect(quality[0]).toEqual({
      callIdHash: hashCallId(callId),
      peer: event.peer,
      time: expect.any(Number),
      quality: { mos: 3.4, directions: [{ from: '198.51.100.20:50000', to: '192.0.2.10:40000', mos: 3.4, mosFrom: 'reported', lossPercent: 1.5, jitterMs: 7, source: 'vq-rtcpxr' }] },
    });
    advance(60_000);
    c.stop();
    expect(events).toHaveLength(judged);
  });

  it('counts an unreadable voice quality report as dropped', async () => {
    const { c, metrics, quality } = collector();
    c.process(encodeHep3({ src: A, dst: B, payload: publish('x', 'VQSessionReport: CallTerm\r\nLocalMetrics:\r\nQualityEst: MOSLQ=4.1\r\n') }));
    expect(quality).toEqual([]);
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'vq-unreadable' })).toBe(1);
  });
});
