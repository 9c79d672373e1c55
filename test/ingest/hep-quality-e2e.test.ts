import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService } from '../../src/app/start.js';
import { createEngine } from '../../src/core/engine.js';
import { encodeHep3 } from '../../src/core/hep/encode-hep.js';
import type { RtpStreamReport } from '../../src/core/media/media-report.js';
import { hashCallId } from '../../src/core/triage/call-events.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import { openStore } from '../../src/store/open-store.js';
import { receiverReport } from '../core/media/rtp-builder.js';

const CALL = '1-two-way@uac.example.com';
const capture = readFileSync(new URL('../fixtures/captures/media/sipp-media.pcapng', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'siptriage-hep-quality-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What the receiver of a real stream would report of it in an RTCP RR (RFC 3550 §6.4.1). */
function reportOf(s: RtpStreamReport) {
  const lost = Math.max(0, s.lost);
  return { ssrc: s.ssrc, fraction: Math.floor((256 * lost) / s.expected), cumulative: lost, highest: 65_536 + 1000, jitter: Math.round((s.meanJitterMs * s.clockRate) / 1000), lsr: 0, dlsr: 0 };
}

describe('live audio quality over HEP, end to end', () => {
  it('ties RTCP (binary, rtpengine JSON, Asterisk JSON) of a real SIPp session to its call and stores MOS, loss and jitter per direction', async () => {
    // The real session: SIPp's G.711 call from the capture, SIP and RTP measured by the capture path.
    const answer = createEngine(defaultKnowledge()).triageBytes(capture);
    const sip = answer.report.entries.filter((e) => e.message.callId === CALL).map((e) => e.message);
    const streams = answer.report.media!.streams.filter((s) => s.callId === CALL && s.codec === 'PCMA');
    const from = (src: string): RtpStreamReport => streams.find((s) => s.src === src)!;
    const lossy = from('127.0.0.1:16200');
    const clean = from('127.0.0.1:16000');
    expect([lossy, clean].map((s) => [s.src, s.dst, s.lost])).toEqual([
      ['127.0.0.1:16200', '127.0.0.1:16000', 10],
      ['127.0.0.1:16000', '127.0.0.1:16200', 0],
    ]);

    const path = join(root, 'store.db');
    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: `sqlite:${path}`, HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_CALL_GRACE_SECONDS: '0.2' });
    if (!r.ok) throw new Error(r.error);
    const service = await startService(r.config, createLogger({ level: 'silent', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
    const port = service.ports.hep as number;
    const udp = createSocket('udp4');
    const send = (bytes: Uint8Array): Promise<void> => new Promise((res) => udp.send(bytes, port, '127.0.0.1', () => res()));
    const at = (h: string) => ({ host: h.split(':')[0]!, port: Number(h.split(':')[1]) });
    try {
      for (const m of sip) {
        const t = m.meta.time ?? Date.now();
        await send(encodeHep3({ src: m.meta.src!, dst: m.meta.dst!, timeSec: Math.floor(t / 1000), timeUsec: (t % 1000) * 1000, payload: m.raw }));
      }
      // Each receiver reports on the stream it got, sent back towards that stream's source, as HEP type 5
      // with the Call-ID as correlation id: three agents' encodings, one per report.
      const a = reportOf(lossy);
      const rtpengineJson = JSON.stringify({ ssrc: 0x1111, type: 201, report_count: 1, report_blocks: [{ source_ssrc: a.ssrc, highest_seq_no: a.highest, fraction_lost: a.fraction, ia_jitter: a.jitter, packets_lost: a.cumulative, lsr: 0, dlsr: 0 }], sdes_ssrc: 0x1111 });
      const asteriskJson = JSON.stringify({ ssrc: 0x1111, type: 201, report_count: 1, sender_information: null, report_blocks: [{ source_ssrc: a.ssrc, fraction_lost: a.fraction, packets_lost: a.cumulative, highest_seq_no: a.highest, ia_jitter: a.jitter, lsr: '0', dlsr: 0 }] });
      const binary = Uint8Array.from(receiverReport(0x2222, [reportOf(clean)]));
      const rtcp = (from: string, to: string, payload: Uint8Array | string) => encodeHep3({ src: at(from), dst: at(to), protocolType: 5, correlationId: CALL, payload });
      await send(rtcp('127.0.0.1:16001', '127.0.0.1:16201', rtpengineJson));
      await send(rtcp('127.0.0.1:16001', '127.0.0.1:16201', asteriskJson));
      await send(rtcp('127.0.0.1:16201', '127.0.0.1:16001', binary));
      // Not tied to any call: counted as dropped, not guessed.
      await send(encodeHep3({ src: at('127.0.0.1:16001'), dst: at('127.0.0.1:16201'), protocolType: 5, payload: rtpengineJson }));
      for (let i = 0; i < 200; i++) {
        const text = await (await fetch(`http://127.0.0.1:${service.address.port}/metrics`)).text();
        if (/siptriage_hep_packets_received_total\{transport="udp"\} (\d+)/.exec(text)?.[1] === String(sip.length + 4)) break;
        await new Promise((res) => setTimeout(res, 25));
      }
      await new Promise((res) => setTimeout(res, 600));
      const text = await (await fetch(`http://127.0.0.1:${service.address.port}/metrics`)).text();
      expect(text).toContain('siptriage_ingest_dropped_total{reason="rtcp-no-call"} 1');
      expect(text).toContain('siptriage_ingest_dropped_total{reason="rtcp-unreadable"} 0');
    } finally {
      udp.close();
      // Stopping hands on the quality gathered so far and writes it after the call's event.
      await service.stop();
    }

    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT kind, code, mos, quality FROM events WHERE call_id_hash = ?').get(hashCallId(CALL)) as { kind: string; code: number; mos: number; quality: string };
    db.close();
    expect(row).toMatchObject({ kind: 'answered', code: 200 });
    const quality = JSON.parse(row.quality) as { mos: number; directions: { from: string; to: string; mos: number; lossPercent: number; jitterMs: number }[] };
    const dir = (from: string) => quality.directions.find((d) => d.from === from)!;
    // 16200 → 16000 lost 10 of 236: an 8-bit fraction of floor(256·10/236) = 10, i.e. 3.91 %.
    expect(dir('127.0.0.1:16201')).toMatchObject({ to: '127.0.0.1:16001', lossPercent: 3.91 });
    expect(dir('127.0.0.1:16001')).toMatchObject({ to: '127.0.0.1:16201', lossPercent: 0 });
    expect(dir('127.0.0.1:16201').jitterMs).toBeCloseTo(lossy.meanJitterMs, 0);
    // The live estimate agrees with the capture path's on the same stream within a tenth of a point.
    expect(Math.abs(dir('127.0.0.1:16201').mos - lossy.mos!.mos)).toBeLessThan(0.15);
    expect(row.mos).toBe(quality.mos);
    expect(row.mos).toBe(dir('127.0.0.1:16201').mos);

    const store = await openStore({ kind: 'sqlite', path });
    const rows = await store.qualityRows!({ from: 0, to: 8.64e15 });
    await store.close();
    expect(rows).toEqual([{ peer: '127.0.0.1', band: 'fair', count: 1, mosSum: row.mos }]);
  });
});
