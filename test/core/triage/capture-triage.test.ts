import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triageCards } from '../../../src/core/card/triage-summary.js';
import { DEFAULT_LEG_OPTIONS } from '../../../src/core/calls/leg-keys.js';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import { createEngine } from '../../../src/core/engine.js';
import { MediaAnalyzer } from '../../../src/core/media/media-analyzer.js';
import { CaptureTriage } from '../../../src/core/triage/capture-triage.js';
import { triageJson } from '../../../src/core/triage/report-json.js';
import { triageMessages } from '../../../src/core/triage/triage.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { bytes, ipv4, pcapFile, udp, LINK } from '../capture/capture-builder.js';
import { writeManyCallsCapture, type ManyCallsCapture } from '../capture/many-calls-capture.js';

const kb = defaultKnowledge();
const DIR = new URL('../../fixtures/captures/', import.meta.url);
const CAPTURES = readdirSync(DIR).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

function streamed(file: Uint8Array, chunk: number, options: ConstructorParameters<typeof CaptureTriage>[1] = {}): { triage: CaptureTriage; result: ReturnType<CaptureTriage['end']>; held: number[] } {
  const triage = new CaptureTriage(kb, options);
  const held: number[] = [];
  for (let at = 0; at < file.length; at += chunk) {
    triage.push(file.subarray(at, at + chunk));
    held.push(triage.held.openBytes);
  }
  return { triage, result: triage.end(), held };
}

describe('a capture triaged as a stream', () => {
  it.each(CAPTURES)('gives the same cards and report as reading %s whole', (name) => {
    const file = readFileSync(new URL(name, DIR));
    const media = new MediaAnalyzer();
    const read = readCapture(file, { media });
    const measured = media.finish();
    const whole = triageMessages(kb, read.messages, [...read.problems, ...measured.problems], { format: read.format, media: measured, legs: DEFAULT_LEG_OPTIONS });
    const { result } = streamed(file, 1000, { media: new MediaAnalyzer(), legs: DEFAULT_LEG_OPTIONS });
    expect(triageJson(result.report)).toEqual(triageJson(whole));
    expect(triageCards(kb, result.report, result.totals)).toEqual(triageCards(kb, whole));
    expect(result.totals.calls).toBe(whole.calls.length);
  });

  describe('of 20,000 calls', () => {
    let dir: string;
    let made: ManyCallsCapture;
    let file: Buffer;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'siptriage-many-'));
      made = await writeManyCallsCapture(join(dir, 'many.pcap'), 20_000);
      file = readFileSync(join(dir, 'many.pcap'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('counts every call by how it ended, keeps 50 in full, and each kind of failure among them', () => {
      let judged = 0;
      const { result, held } = streamed(file, 64 * 1024, { onCall: () => judged++ });
      expect(judged).toBe(20_000);
      expect(result.totals).toMatchObject({ calls: 20_000, messages: 40_000, retransmissions: 0, detailed: 50, otherEndings: 0 });
      expect(result.totals.outcomes).toEqual({ answered: 10_000, failed: 10_000, 'no-final': 0, challenged: 0, cancelled: 0, redirected: 0 });
      const byCode = new Map(result.totals.endings.map((e) => [e.code, e.calls]));
      expect(byCode).toEqual(made.byCode);
      expect(result.report.calls).toHaveLength(50);
      expect(new Set(result.report.calls.map((c) => c.call.final?.message.status))).toEqual(new Set([486, 503, 404, 403, 480]));
      expect(result.report.entries).toHaveLength(100);
      // 100 calls a second, judged after 32 s quiet: about 3,300 calls open at once, never all 20,000.
      expect(Math.max(...held)).toBeLessThan(4 * 1024 * 1024);
    });

    it('answers with a summary that names the count and how the rest ended, in a few kilobytes', () => {
      const answer = createEngine(kb).triageBytes(file, 'many.pcap');
      expect(answer.summary.title).toBe('SIP trace: 20000 calls, 10000 failed');
      // Failures first, server-side (5xx) before 4xx, counted over every call; the 10,000 answered folded into one line.
      const failed = answer.summary.sections.find((s) => s.title === 'Failed (10000 of 20000 calls)');
      expect(failed?.items[0]).toBe('3000 × INVITE → 503 Service Unavailable');
      expect(failed?.items).toEqual(expect.arrayContaining(['4000 × INVITE → 486 Busy Here']));
      expect(answer.summary.sections.find((s) => s.title === 'Other calls')?.items).toEqual(['10000 answered']);
      expect(answer.summary.summary).toBe('10000 of 20000 calls failed; worst: 3000 × INVITE → 503 Service Unavailable.');
      expect(answer.summary.tone).toBe('danger');
      expect(answer.summary.footer).toMatch(/read as pcap; 50 calls kept in detail\.$/);
      expect(answer.calls.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify({ summary: answer.summary, calls: answer.calls }).length).toBeLessThan(512 * 1024);
    });
  });

  it('holds a hostile capture within its bounds: one Call-ID repeated, and calls that never end', () => {
    const invite = (callId: string, n: number): Uint8Array =>
      bytes(`INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK${n}\r\nFrom: <sip:a@example.com>;tag=${n}\r\nTo: <sip:bob@example.com>\r\nCall-ID: ${callId}\r\nCSeq: ${n} INVITE\r\nContent-Length: 0\r\n\r\n`);
    const packets = [
      ...Array.from({ length: 3000 }, (_, i) => ({ time: 1000, data: ipv4('192.0.2.1', '192.0.2.2', 17, udp(5060, 5060, invite('same@x', i + 1))) })),
      ...Array.from({ length: 3000 }, (_, i) => ({ time: 1000, data: ipv4('192.0.2.1', '192.0.2.2', 17, udp(5060, 5060, invite(`open-${i}@x`, 1))) })),
    ];
    const file = pcapFile(LINK.IPV4, packets);
    const { result, triage, held } = streamed(file, 4096, { callLimits: { maxMessagesPerCall: 100, maxOpenCalls: 1000 } });
    expect(triage.held.openCalls).toBe(0);
    expect(Math.max(...held)).toBeLessThan(1000 * 400);
    expect(result.totals.calls).toBe(3001);
    expect(result.report.problems.map((p) => p.code)).toEqual(['calls-judged-early', 'call-too-long']);
    expect(result.report.problems[1]?.message).toBe('2900 messages of very long calls were counted but not examined');
  });
});
