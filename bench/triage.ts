import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createEngine, loadKnowledge } from '../src/index.js';
import { cpuMs, percentile, type BenchResult } from './stats.js';

/** A 1 MiB paste made of the real fixture traces (raw and ngrep), triaged end to end. */
export function benchTriage(): BenchResult[] {
  const dirs = ['raw', 'ngrep'];
  const parts: string[] = [];
  for (const d of dirs) {
    const dir = new URL(`../test/fixtures/traces/${d}/`, import.meta.url);
    for (const f of readdirSync(dir).filter((x) => !x.endsWith('.json'))) parts.push(readFileSync(new URL(f, dir), 'utf8'));
  }
  let paste = '';
  let i = 0;
  // Each copy gets its own Call-IDs so the paste holds many distinct calls, as a long capture would.
  while (Buffer.byteLength(paste) < 1024 * 1024) {
    paste += `${(parts[i % parts.length] ?? '').replace(/@uac\.example\.com/g, `-${i}@uac.example.com`)}\n`;
    i++;
  }
  paste = paste.slice(0, 1024 * 1024);
  const engine = createEngine(loadKnowledge(), { maxTraceBytes: 2 * 1024 * 1024, redact: { numbers: false, addresses: false } });
  const wall: number[] = [];
  const cpu: number[] = [];
  let calls = 0;
  let messages = 0;
  for (let r = 0; r < 25; r++) {
    const w0 = performance.now();
    const c0 = cpuMs();
    const answer = engine.triage(paste);
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - w0);
    calls = answer.report.calls.length;
    messages = answer.report.entries.length;
  }
  console.log(`  1 MiB paste: ${messages} messages, ${calls} calls`);
  return [
    { name: 'triage: 1 MiB paste end to end, CPU time, best of 25', value: Math.min(...cpu), unit: 'ms' },
    { name: 'triage: 1 MiB paste end to end, CPU time, median', value: percentile(cpu.slice(5), 50), unit: 'ms' },
    { name: 'triage: 1 MiB paste end to end, wall time, best of 25', value: Math.min(...wall), unit: 'ms' },
    { name: 'triage: 1 MiB paste end to end, wall time, median', value: percentile(wall.slice(5), 50), unit: 'ms' },
  ];
}
