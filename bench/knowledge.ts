import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { explainQuery } from '../src/core/query/explain.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';
import { percentile, type BenchResult } from './stats.js';

const QUERIES = ['503', '4xx', 'busy', 'q850 17', 'warning 305', '499', 'not acceptable', 'timeout', '486', 'codec', '5', '560403', 'auth failed', '', 'zzz'];

// A cold start is what a user waits for: a fresh process loading the built package (with its snapshot).
const COLD = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const { loadKnowledge } = await import('./dist/knowledge/load-knowledge.js');
const w0 = performance.now(); const c0 = cpu();
const kb = loadKnowledge();
console.log(JSON.stringify({ wall: performance.now() - w0, cpu: cpu() - c0, codes: kb.data.codes.length }));
`;

/** Knowledge start-up (read + validate every file, cold, in a fresh process) and query latency over a mixed set. */
export function benchKnowledge(): BenchResult[] {
  const results: BenchResult[] = [];
  if (existsSync(new URL('../dist/knowledge/load-knowledge.js', import.meta.url))) {
    const cold = Array.from({ length: 9 }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', COLD], { encoding: 'utf8' })) as { wall: number; cpu: number });
    results.push(
      { name: 'knowledge: cold load + validate, fresh process, CPU median', value: percentile(cold.map((c) => c.cpu), 50), unit: 'ms' },
      { name: 'knowledge: cold load + validate, fresh process, wall median', value: percentile(cold.map((c) => c.wall), 50), unit: 'ms' },
    );
  } else console.log('  (no dist/: run npm run build for the cold start figure)');
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
  results.push(
    { name: 'knowledge: reload from YAML, warm, median of 15', value: percentile(loads, 50), unit: 'ms' },
    { name: 'knowledge: query median (10,000 mixed)', value: percentile(times, 50), unit: 'µs' },
    { name: 'knowledge: query p99', value: percentile(times, 99), unit: 'µs' },
  );
  return results;
}
