import { describe, expect, it } from 'vitest';
import { codecImpairment, effectiveIe, mosFromR, pureDelayImpairment, rating } from '../../../src/core/media/e-model.js';

describe('the G.107 E-model', () => {
  it('gives R = 93.2 with every parameter at its default (G.107 §7.7: "R = 93.2")', () => {
    expect(rating({ ta: 0, ie: 0, bpl: 1, ppl: 0 })).toBeCloseTo(93.2, 1);
  });

  it('maps R to MOS as G.107 Table B.1 lists: 90 → 4.34, 80 → 4.03, 70 → 3.60, 60 → 3.10, 50 → 2.58', () => {
    // The table prints two decimals of (B-4); 80 gives 4.024, which the table shows as 4.03.
    for (const [r, mos] of [[90, 4.34], [80, 4.03], [70, 3.6], [60, 3.1], [50, 2.58]] as const) expect(Math.abs(mosFromR(r) - mos)).toBeLessThanOrEqual(0.01);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
  });

  it('G.711 with PLC at 2 % random loss: Ie,eff = 95 · 2 / (2 + 25.1) ≈ 7.0 (G.113 Bpl 25.1)', () => {
    expect(effectiveIe(0, 25.1, 2)).toBeCloseTo(7.01, 2);
    // Burstier loss hurts more (BurstR > 1).
    expect(effectiveIe(0, 25.1, 2, 2)).toBeGreaterThan(effectiveIe(0, 25.1, 2));
  });

  it('adds no pure-delay impairment Idd up to 100 ms, then G.107 (7-27): X = 1 at 200 ms gives 3.04', () => {
    expect(pureDelayImpairment(100)).toBe(0);
    expect(pureDelayImpairment(200)).toBeCloseTo(3.04, 2);
    // Past 400 ms conversation suffers badly (G.114): R loses more than 20 points to Idd alone.
    expect(pureDelayImpairment(500)).toBeGreaterThan(20);
    expect(rating({ ta: 400, ie: 0, bpl: 25.1, ppl: 0 })).toBeLessThan(rating({ ta: 150, ie: 0, bpl: 25.1, ppl: 0 }));
  });

  it('G.729A at 1 % loss and 150 ms scores below G.711 at the same loss and delay, and both fall with loss', () => {
    const g711 = codecImpairment('PCMA')!;
    const g729 = codecImpairment('G729')!;
    const r = (c: typeof g711, ppl: number): number => rating({ ta: 150, ie: c.ie, bpl: c.bpl, ppl });
    expect(r(g729, 1)).toBeLessThan(r(g711, 1));
    expect(r(g711, 5)).toBeLessThan(r(g711, 1));
    expect(mosFromR(r(g711, 0))).toBeGreaterThan(4.2);
  });

  it('has no Ie/Bpl for codecs G.113 does not list, so no MOS is made up for them', () => {
    expect(codecImpairment('OPUS')).toBeUndefined();
    expect(codecImpairment('G722')).toBeUndefined();
  });
});
