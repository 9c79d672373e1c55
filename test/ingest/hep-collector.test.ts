import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { encodeHep3 } from '../../src/core/hep/encode-hep.js';
import type { CallEvent } from '../../src/core/triage/call-events.js';
import { HepCollector } from '../../src/ingest/hep-collector.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { hepPackets } from '../core/hep/hep-fixtures.js';
import { counterValue } from './metrics-reader.js';
import { rawPayloads } from './raw-fixtures.js';

const kb = loadKnowledge();
const log = createLogger({ level: 'silent', pretty: false });

function collector(password?: string) {
  const metrics = createMetrics({ topPeers: 5, processMetrics: false });
  const events: CallEvent[] = [];
  let now = Date.now();
  const c = new HepCollector({
    kb,
    metrics,
    log,
    ...(password === undefined ? {} : { password }),
    maxOpenCalls: 1000,
    queuePackets: 1000,
    onEvents: (e) => events.push(...e),
    now: () => now,
  });
  return { c, metrics, events, advance: (ms: number) => (now += ms) };
}

describe('HepCollector', () => {
  it('turns Kamailio HEP mirroring of a 200 and a 486 call into one event per call, with the callee as peer', async () => {
    const { c, metrics, events } = collector('capture-s3cret');
    for (const p of hepPackets('hep3-ipv4-auth')) c.process(p);
    c.stop();
    expect(events.map((e) => [e.kind, e.code, e.method, e.peer]).sort()).toEqual([
      ['answered', 200, 'INVITE', '127.0.0.1'],
      ['failure', 486, 'INVITE', '127.0.0.1'],
    ]);
    // Each response is mirrored on both legs (callee to Kamailio, Kamailio to caller): both are responses seen.
    expect(await counterValue(metrics, 'siptriage_sip_responses_total', { code: '486' })).toBe(2);
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total')).toBe(0);
  });

  it('closes calls by itself once the final response has gone quiet', async () => {
    const { c, events, advance } = collector();
    for (const p of hepPackets('hep2-ipv4')) c.process(p);
    c.sweep();
    await c.idle();
    expect(events).toHaveLength(0);
    advance(5000);
    c.sweep();
    await c.idle();
    expect(events.map((e) => e.code).sort()).toEqual([200, 486]);
  });

  it('drops and counts packets without the capture password, and HEPv2 (which cannot carry one)', async () => {
    const { c, metrics, events } = collector('another-password');
    for (const p of [...hepPackets('hep3-ipv4-auth'), ...hepPackets('hep3-ipv6'), ...hepPackets('hep2-ipv4')]) c.process(p);
    c.stop();
    expect(events).toHaveLength(0);
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'auth' })).toBe(66);
  });

  it('counts what is not SIP or not HEP by reason', async () => {
    const { c, metrics } = collector();
    const src = { host: '192.0.2.1', port: 5060 };
    const dst = { host: '192.0.2.2', port: 5060 };
    // Type 100 is a log line (HEP3 spec): not SIP, not RTCP.
    c.process(encodeHep3({ src, dst, protocolType: 100, payload: 'a log line' }));
    c.process(encodeHep3({ src, dst, protocolType: 5, correlationId: 'call-1', payload: '{"rtcp":true}' }));
    c.process(encodeHep3({ src, dst, protocolType: 5, payload: '{"ssrc":1,"report_blocks":[]}' }));
    c.process(encodeHep3({ src, dst, payload: 'hello, not SIP' }));
    c.process(encodeHep3({ src, dst, compressed: true, payload: Uint8Array.of(1, 2, 3, 4) }));
    c.process(Buffer.from('HEP3\u0000\u00ff'));
    c.process(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    const reasons = ['not-sip', 'rtcp-unreadable', 'rtcp-no-call', 'sip-parse', 'compressed', 'truncated', 'malformed'];
    for (const reason of reasons) expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason }), reason).toBe(1);
  });

  it('records an INVITE retransmitted with no answer as a 408 once Timer B has run out, like a pasted trace', async () => {
    const { c, events, advance } = collector();
    const src = { host: '192.0.2.7', port: 5209 };
    const dst = { host: '192.0.2.8', port: 5109 };
    for (const text of rawPayloads('09-timeout-no-answer')) {
      c.process(encodeHep3({ src, dst, payload: text }));
      advance(1000);
    }
    c.sweep();
    await c.idle();
    expect(events).toHaveLength(0);
    advance(40_000);
    c.sweep();
    await c.idle();
    expect(events.map((e) => [e.kind, e.code, e.peer, e.findings.includes('transaction-timeout')])).toEqual([['failure', 408, '192.0.2.8', true]]);
  });

  it('reads gzip-compressed payloads', async () => {
    const { gzipSync } = await import('node:zlib');
    const { c, events } = collector();
    const src = { host: '198.51.100.20', port: 5060 };
    const dst = { host: '198.51.100.30', port: 5060 };
    for (const text of rawPayloads('10-not-found-404')) c.process(encodeHep3({ src, dst, compressed: true, payload: gzipSync(text) }));
    c.stop();
    expect(events.map((e) => e.code)).toEqual([404]);
  });

  it('never throws on mutated real packets, whatever they decode to', () => {
    const real = hepPackets('hep3-ipv4-auth');
    const { c } = collector();
    fc.assert(
      fc.property(fc.constantFrom(...real), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (packet, edits) => {
        const b = Buffer.from(packet);
        for (const [i, v] of edits) b[i % b.length] = v;
        c.process(b);
      }),
      { numRuns: 2000 },
    );
    c.stop();
  });
});
