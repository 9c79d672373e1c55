import { scoreCorpus } from '../test/core/trace/wild-score.js';
import type { BenchResult } from './stats.js';

/**
 * Not a speed figure: the share of the real pasted traces (test/fixtures/wild/) whose failing call the triage
 * names with the right Call-ID and code, per format. WILD_MISSES=1 lists what each missed trace expected and got.
 */
export function benchWild(): BenchResult[] {
  const score = scoreCorpus();
  if (process.env.WILD_MISSES === '1') {
    for (const s of score.traces) {
      if (s.missed.length === 0) continue;
      const want = s.missed.map((e) => `${e.code} ${e.method} ${e.callId ?? '(no Call-ID)'}`).join('; ');
      const got = s.reported.length === 0 ? 'no failing call' : s.reported.map((r) => `${r.code} ${r.callId}`).join('; ');
      console.log(`  miss ${s.trace.file}: expected ${want}; reported ${got}`);
    }
  }
  return [...score.formats, score.overall].map((f) => ({
    name: `wild: ${f.format} (${f.traces} trace${f.traces === 1 ? '' : 's'}, ${f.found}/${f.expected} calls)`,
    value: f.share * 100,
    unit: '%',
  }));
}
