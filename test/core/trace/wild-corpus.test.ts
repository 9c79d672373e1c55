import { describe, expect, it } from 'vitest';
import { MIN_TRACES_PER_FORMAT, readManifest, scoreCorpus, traceExists, WILD_THRESHOLDS } from './wild-score.js';

const manifest = readManifest();

describe('the corpus of real pasted traces (test/fixtures/wild)', () => {
  it('holds at least 85 traces, each a file under its format folder with a cited public source', () => {
    expect(manifest.traces.length).toBeGreaterThanOrEqual(85);
    const files = new Set<string>();
    const calls = new Set<string>();
    for (const t of manifest.traces) {
      expect(traceExists(t), t.file).toBe(true);
      expect(t.file.startsWith(`${t.format}/`), `${t.file} lives under ${t.format}/`).toBe(true);
      expect(t.file.endsWith('.txt'), t.file).toBe(true);
      expect(files.has(t.file), `${t.file} listed once`).toBe(false);
      files.add(t.file);
      // One thread may give two windows (two calls, two formats), never the same failing call twice.
      for (const e of t.expected) {
        const key = `${t.source} ${e.callId ?? ''} ${e.code}`;
        expect(calls.has(key), `${t.file}: ${key} already in the corpus`).toBe(false);
        calls.add(key);
      }
      expect(new URL(t.source).protocol, `${t.file} source`).toBe('https:');
      expect(t.note.trim().length, `${t.file} note`).toBeGreaterThan(10);
      expect(t.expected.length, `${t.file} expects a failing call`).toBeGreaterThanOrEqual(1);
      for (const e of t.expected) {
        expect(e.code, `${t.file} code`).toBeGreaterThanOrEqual(300);
        expect(e.code, `${t.file} code`).toBeLessThan(700);
        expect(e.method, `${t.file} method`).toMatch(/^[A-Z]+$/);
        if (e.callId !== null) expect(e.callId.trim(), `${t.file} Call-ID`).toBe(e.callId);
      }
    }
  });

  it('names the failing call with its code at or above the floors in WILD_THRESHOLDS', () => {
    const score = scoreCorpus(manifest);
    const misses = score.traces.filter((s) => s.missed.length > 0).map((s) => s.trace.file);
    expect(score.overall.share, `overall ${score.overall.found}/${score.overall.expected}; missed: ${misses.join(', ')}`).toBeGreaterThanOrEqual(
      WILD_THRESHOLDS.overall,
    );
    for (const f of score.formats) {
      if (f.traces < MIN_TRACES_PER_FORMAT) continue;
      const floor = WILD_THRESHOLDS.perFormat[f.format];
      expect(floor, `WILD_THRESHOLDS.perFormat has a floor for ${f.format} (${f.traces} traces)`).toBeTypeOf('number');
      expect(f.share, `${f.format}: ${f.found}/${f.expected}`).toBeGreaterThanOrEqual(floor ?? 1);
    }
  });
});
