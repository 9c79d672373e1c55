import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../src/core/sip/parse-message.js';
import { readTrace } from '../../../src/core/trace/read-trace.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

// Real messages to mutate: the RFC 4475 torture set and a real call trace.
const dir = new URL('../../fixtures/rfc4475/', import.meta.url);
const seeds = readdirSync(dir)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => readFileSync(new URL(f, dir), 'latin1'));
seeds.push(readFileSync(new URL('../../fixtures/traces/raw/04-codec-488.sip', import.meta.url), 'utf8'));
const engine = createEngine(loadKnowledge());

/** Applies random edits (delete, insert, duplicate, swap) to a real message. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 64 }), fc.string({ maxLength: 40, unit: 'binary' }), fc.integer({ min: 0, max: 3 })), { maxLength: 12 }),
  )
  .map(([seed, edits]) => {
    let s = seed;
    for (const [at, len, insert, op] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      if (op === 0) s = s.slice(0, i) + s.slice(i + len);
      else if (op === 1) s = s.slice(0, i) + insert + s.slice(i);
      else if (op === 2) s = s.slice(0, i) + s.slice(i, i + len) + s.slice(i);
      else s = s.slice(i) + s.slice(0, i);
    }
    return s;
  });

function neverThrows(text: string): void {
  const r = parseSipMessage(text);
  expect(typeof r.ok).toBe('boolean');
  if (r.ok) {
    // Touch every lazy accessor: none may throw either.
    const m = r.message;
    void [m.cseq, m.vias, m.from, m.to, m.contacts, m.reasons, m.warnings, m.retryAfter, m.challenges, m.credentials, m.allow, m.minSE, m.sessionExpires, m.sdp, m.maxForwards, m.recordRoutes];
  } else expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) expect(p.message.length).toBeGreaterThan(0);
}

describe('parser and readers on hostile input', () => {
  it('never throw on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        neverThrows(text);
        const answer = engine.triage(text);
        expect(answer.summary.title.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throw on random mutations of real messages', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        neverThrows(text);
        const read = readTrace(text);
        expect(Array.isArray(read.messages)).toBe(true);
        engine.triage(text);
      }),
      { numRuns: 500 },
    );
  });

  it('handle huge header lines, huge folds and many headers without hanging', () => {
    const base = seeds[seeds.length - 1] ?? '';
    const huge = [
      base.replace('Call-ID:', `X-Huge: ${'a'.repeat(1_000_000)}\r\nCall-ID:`),
      base.replace('Call-ID:', `X-Fold: x${'\r\n y'.repeat(100_000)}\r\nCall-ID:`),
      base.replace('Call-ID:', `${'X-Many: v\r\n'.repeat(100_000)}Call-ID:`),
      base.replace('Call-ID:', `Via: ${'SIP/2.0/UDP h;branch=z9hG4bK, '.repeat(20_000)}\r\nCall-ID:`),
      `SIP/2.0 200 ${'"'.repeat(500_000)}\r\n\r\n`,
      `INVITE ${'<'.repeat(300_000)} SIP/2.0\r\nTo: ${'"\\'.repeat(200_000)}\r\n\r\n`,
    ];
    for (const text of huge) {
      neverThrows(text);
      // The base trace holds four messages; a hostile header may cost one of them, never invent more.
      expect(readTrace(text, { maxBytes: 8 * 1024 * 1024 }).messages.length).toBeLessThanOrEqual(4);
    }
  });

  it('refuses input over the size limit before parsing it', () => {
    const read = readTrace('x'.repeat(3 * 1024 * 1024));
    expect(read.problems).toEqual([{ code: 'too-large', message: 'the trace is 3.0 MiB, over the 2.0 MiB limit' }]);
    expect(parseSipMessage('SIP/2.0 200 OK\r\n'.padEnd(100, 'x'), { maxLength: 50 }).problems[0]?.code).toBe('too-large');
  });
});
