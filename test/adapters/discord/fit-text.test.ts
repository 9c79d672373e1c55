import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipWords, fitLines } from '../../../src/adapters/discord/fit-text.js';

describe('fitting text to a limit', () => {
  it('keeps everything that fits', () => {
    expect(fitLines(['a', 'b'], 3)).toBe('a\nb');
  });

  it('cuts at a line boundary and counts the lines left out', () => {
    const lines = ['first line', 'second line', 'third line', 'fourth line'];
    expect(fitLines(lines, 35)).toBe('first line\nsecond line\n…and 2 more');
  });

  it('shows the start of a first line that is too long on its own', () => {
    expect(fitLines(['one two three four five six', 'next'], 26)).toBe('one two three…\n…and 1 more');
  });

  it('cuts one long line at a word', () => {
    expect(clipWords('Service Unavailable at peak hours', 20)).toBe('Service Unavailable…');
  });

  it('never exceeds the limit and never loses count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300, unit: 'grapheme-ascii' }).map((s) => s.replace(/\n/g, ' ')), { minLength: 1, maxLength: 60 }), fc.integer({ min: 40, max: 1024 }), (lines, max) => {
        const out = fitLines(lines, max);
        expect(out.length).toBeLessThanOrEqual(max);
        const shown = out.split('\n');
        const m = /^…and (\d+) more$/.exec(shown[shown.length - 1] ?? '');
        if (m === null) {
          // Everything, or a single line too long for the limit, clipped.
          if (out !== lines.join('\n')) expect(lines.length === 1 && out.endsWith('…')).toBe(true);
        } else {
          const kept = shown.length - 1;
          expect(kept + Number(m[1])).toBe(lines.length);
          // Lines kept are verbatim; only a first line too long on its own is shown clipped.
          for (let i = 0; i < kept; i++) if (shown[i] !== lines[i]) expect(i === 0 && shown[0]?.endsWith('…')).toBe(true);
        }
      }),
    );
  });
});
