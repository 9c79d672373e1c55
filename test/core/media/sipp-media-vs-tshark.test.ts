import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import { MediaAnalyzer } from '../../../src/core/media/media-analyzer.js';

const DIR = new URL('../../fixtures/captures/media/', import.meta.url);

interface TsharkStream {
  src: string;
  dst: string;
  ssrc: number;
  payload: string;
  packets: number;
  lost: number;
  minDelta: number;
  meanDelta: number;
  maxDelta: number;
  meanJitter: number;
  maxJitter: number;
}

/** `tshark -q -z rtp,streams` as tshark 4.0.17 printed it for the same file (make/media/make-media.sh). */
function tsharkStreams(name: string): TsharkStream[] {
  const text = readFileSync(new URL(name, DIR), 'utf8');
  return text
    .split('\n')
    .filter((l) => /^\s+\d+\.\d+\s+\d+\.\d+\s/.test(l))
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return {
        src: `${f[2]}:${f[3]}`,
        dst: `${f[4]}:${f[5]}`,
        ssrc: Number.parseInt(f[6] ?? '', 16),
        payload: f[7] ?? '',
        packets: Number(f[8]),
        lost: Number(f[9]),
        minDelta: Number(f[11]),
        meanDelta: Number(f[12]),
        maxDelta: Number(f[13]),
        meanJitter: Number(f[15]),
        maxJitter: Number(f[16]),
      };
    });
}

const CODEC: Record<string, string> = { g711A: 'PCMA', 'telephone-event': 'TELEPHONE-EVENT' };

describe('RTP streams of real SIPp calls, measured as tshark -z rtp,streams measures them', () => {
  const media = new MediaAnalyzer();
  const read = readCapture(readFileSync(new URL('sipp-media.pcapng', DIR)), { media });
  const report = media.finish();
  const expected = tsharkStreams('sipp-media.rtp-streams.txt');

  it('reads the capture cleanly and finds exactly the streams tshark finds', () => {
    expect(read.problems).toEqual([]);
    expect(expected).toHaveLength(6);
    const key = (s: { src: string; dst: string; ssrc: number }): string => `${s.src}>${s.dst}#${s.ssrc}`;
    expect(report.streams.map(key).sort()).toEqual(expected.map(key).sort());
  });

  for (const t of expected) {
    it(`${t.src} → ${t.dst} SSRC 0x${t.ssrc.toString(16)} (${t.payload}): packets, lost, deltas and jitter as tshark`, () => {
      const s = report.streams.find((x) => x.src === t.src && x.dst === t.dst && x.ssrc === t.ssrc);
      expect(s).toBeDefined();
      if (s === undefined) return;
      expect(s.codec).toBe(CODEC[t.payload]);
      expect(s.packets).toBe(t.packets);
      expect(s.lost).toBe(t.lost);
      expect(s.maxDeltaMs).toBeCloseTo(t.maxDelta, 2);
      expect(s.meanDeltaMs).toBeCloseTo(t.meanDelta, 2);
      expect(s.minDeltaMs).toBeCloseTo(t.minDelta, 2);
      // Within 5% (the tolerance), and in fact to the microsecond tshark prints.
      expect(Math.abs(s.maxJitterMs - t.maxJitter)).toBeLessThanOrEqual(Math.max(0.0015, t.maxJitter * 0.05));
      expect(Math.abs(s.meanJitterMs - t.meanJitter)).toBeLessThanOrEqual(Math.max(0.0015, t.meanJitter * 0.05));
      expect(s.foundBy).toBe('sdp');
    });
  }

  it('ties every stream to the call whose SDP announced it', () => {
    const calls = new Set(report.streams.map((s) => s.callId));
    expect([...calls].sort()).toEqual(['1-one-way@uac.example.com', '1-two-way@uac.example.com']);
    expect(report.streams.filter((s) => s.callId === '1-two-way@uac.example.com')).toHaveLength(4);
  });

  it('lists the RFC 4733 key press and counts its repeated end packets as duplicates, not loss', () => {
    const dtmf = report.streams.filter((s) => s.codec === 'TELEPHONE-EVENT');
    expect(dtmf).toHaveLength(3);
    for (const s of dtmf) {
      expect(s.events).toEqual([expect.objectContaining({ key: '1', ended: true })]);
      expect(s.duplicates).toBe(2);
      expect(s.mos).toBeUndefined();
    }
  });
});
