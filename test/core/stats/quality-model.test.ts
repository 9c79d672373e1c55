import { describe, expect, it } from 'vitest';
import { bandOf, buildQuality, qualityLines, type QualityRow } from '../../../src/core/stats/quality-model.js';

describe('the audio quality model of stats and digests', () => {
  it('bands MOS as G.107 Table B.1 does: 4.0, 3.6 and 3.1 are the edges', () => {
    expect([4.4, 4.0, 3.99, 3.6, 3.59, 3.1, 3.09, 1].map(bandOf)).toEqual(['good', 'good', 'fair', 'fair', 'poor', 'poor', 'bad', 'bad']);
  });

  it('sums calls per band, counts poor audio under 3.6, and names the worst peers by mean MOS (3 calls at least)', () => {
    const rows: QualityRow[] = [
      { peer: 'sbc1.example.net', band: 'good', count: 8, mosSum: 8 * 4.3 },
      { peer: 'sbc1.example.net', band: 'poor', count: 2, mosSum: 2 * 3.4 },
      { peer: 'gw.example.org', band: 'bad', count: 3, mosSum: 3 * 2.5 },
      { peer: 'gw.example.org', band: 'fair', count: 1, mosSum: 3.8 },
      { peer: 'once.example.com', band: 'bad', count: 1, mosSum: 1.5 },
      { peer: null, band: 'good', count: 4, mosSum: 4 * 4.2 },
    ];
    const m = buildQuality(rows);
    expect(m).toMatchObject({ calls: 19, poor: 6, bands: { good: 12, fair: 1, poor: 2, bad: 4 } });
    expect(m.meanMos).toBeCloseTo((8 * 4.3 + 6.8 + 7.5 + 3.8 + 1.5 + 16.8) / 19, 2);
    // gw first (mean 2.83); sbc1 has poor calls though its mean is good; the one-call peer and the all-good one are left out.
    expect(m.worstPeers).toEqual([
      { peer: 'gw.example.org', calls: 4, meanMos: 2.83, poor: 3 },
      { peer: 'sbc1.example.net', calls: 10, meanMos: 4.12, poor: 2 },
    ]);
    expect(qualityLines(m)).toEqual([
      `Audio quality of 19 calls (RTCP / RFC 6035 reports): mean MOS ${m.meanMos.toFixed(2)}; 6 with poor audio (MOS < 3.6, 32 %)`,
      'MOS ≥ 4.0: 12 · 3.6–4.0: 1 · 3.1–3.6: 2 · < 3.1: 4',
      'Worst peers by MOS: gw.example.org 2.83 (3/4 poor), sbc1.example.net 4.12 (2/10 poor)',
    ]);
  });

  it('says nothing when no call had a report', () => {
    expect(qualityLines(buildQuality([]))).toEqual([]);
  });
});
