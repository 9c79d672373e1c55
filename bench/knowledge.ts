import { performance } from 'node:perf_hooks';
import { explainQuery } from '../src/core/query/explain.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';
import { percentile, type BenchResult } from './stats.js';

const QUERIES = ['503', '4xx', 'busy', 'q850 17', 'warning 305', '499', 'not acceptable', 'timeout', '486', 'codec', '5', '560403', 'auth failed', '', 'zzz'];

/** Knowledge start-up (read + validate every file) and query latency over a mixed set. */
export function benchKnowledge(): BenchResult[] {
  const loads: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    loadKnowledge();
    loads.push(performance.now() - t0);
  }
  const kb = loadKnowledge();
  for (let i = 0; i < 2000; i++) explainQuery(kb, QUERIES[i % QUERIES.length] ?? '');
  const times: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const q = QUERIES[i % QUERIES.length] ?? '';
    const t0 = performance.now();
    explainQuery(kb, q);
    times.push((performance.now() - t0) * 1000);
  }
  return [
    { name: 'knowledge: load + validate (first, cold)', value: loads[0] ?? 0, unit: 'ms' },
    { name: 'knowledge: load + validate (median of 15)', value: percentile(loads, 50), unit: 'ms' },
    { name: 'knowledge: query median (10,000 mixed)', value: percentile(times, 50), unit: 'µs' },
    { name: 'knowledge: query p99', value: percentile(times, 99), unit: 'µs' },
  ];
}
