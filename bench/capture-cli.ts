import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeManyCallsCapture } from '../test/core/capture/many-calls-capture.js';
import type { BenchResult } from './stats.js';

const ROOT = join(import.meta.dirname, '..');
const CALLS = 100_000;
// Issue 13: the CLI on a 60 MB capture of 100,000 calls within 1 GiB and 20 s on this machine.
const BUDGET_MS = 20_000;
const BUDGET_BYTES = 1024 * 1024 * 1024;
const TICK_MS = 1000 / 100;

interface Run {
  readonly ms: number;
  /** CPU (user + system) of the process, from /proc. */
  readonly cpuMs: number;
  /** Peak resident set (VmHWM). */
  readonly peak: number;
  readonly code: number | null;
  readonly outBytes: number;
}

/** A command in a process of its own, its output to a file as a person's redirect would, watched through /proc. */
async function watched(command: string, args: string[], outFile: string): Promise<Run> {
  const out = openSync(outFile, 'w');
  const t0 = performance.now();
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', out, 'inherit'] });
  let peak = 0;
  let cpu = 0;
  const look = (): void => {
    try {
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
      // Fields 14 and 15 of /proc/PID/stat (after the command name in parentheses): utime, stime in ticks.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // The process has just ended: the last reading stands.
    }
  };
  const timer = setInterval(look, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  const ms = performance.now() - t0;
  closeSync(out);
  return { ms, cpuMs: cpu, peak, code, outBytes: statSync(outFile).size };
}

/**
 * `siptriage triage` (text and --json) on a 60 MB capture of 100,000 calls made for the run, timed as a
 * person waits for it (start-up included, from the TypeScript sources), with its peak memory, beside
 * tshark reading the same file in the same run.
 */
export async function benchCaptureCli(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-bench-cli-'));
  try {
    const file = join(dir, 'trunk.pcap');
    const made = await writeManyCallsCapture(file, CALLS);
    console.log(`capture cli: ${(made.bytes / 1024 / 1024).toFixed(1)} MiB, ${made.calls} calls, ${made.frames} frames`);
    const cli = (extra: string[]): Promise<Run> => watched(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'triage', file, ...extra], join(dir, 'out'));
    const json = await cli(['--json']);
    const text = await cli([]);
    for (const [name, r] of [['--json', json], ['text', text]] as const) {
      if (r.code !== 0) throw new Error(`siptriage triage ${name} exited with ${String(r.code)}`);
      console.log(`  triage ${name}: ${(r.ms / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU, peak ${(r.peak / 1024 / 1024).toFixed(0)} MiB, ${(r.outBytes / 1024 / 1024).toFixed(1)} MiB written; budget 20 s and 1 GiB: ${r.ms <= BUDGET_MS && r.peak <= BUDGET_BYTES ? 'within' : 'OVER'}`);
    }
    const tshark = await watched('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'sip.Status-Code', '-e', 'sip.Call-ID', '-e', 'sip.CSeq'], join(dir, 'tshark.out')).catch(() => undefined);
    const vs = (r: Run): BenchResult['ratio'] => (tshark === undefined || tshark.code !== 0 ? undefined : { value: tshark.ms / r.ms, against: 'tshark speed' });
    const results: BenchResult[] = [];
    for (const [name, r] of [['--json', json], ['text', text]] as const) {
      const ratio = vs(r);
      results.push(
        { name: `capture cli: triage ${name}, 60 MB / 100k calls, wall`, value: r.ms / 1000, unit: 's (budget 20)', ...(ratio === undefined ? {} : { ratio }) },
        { name: `capture cli: triage ${name}, CPU`, value: r.cpuMs / 1000, unit: 's' },
        { name: `capture cli: triage ${name}, peak RSS`, value: r.peak / 1024 / 1024, unit: 'MiB (budget 1024)' },
      );
    }
    if (tshark !== undefined && tshark.code === 0) {
      results.push(
        { name: 'capture cli: tshark -T fields on the same file, wall', value: tshark.ms / 1000, unit: 's' },
        { name: 'capture cli: tshark peak RSS', value: tshark.peak / 1024 / 1024, unit: 'MiB' },
      );
    } else console.log('  (tshark is not installed: the side-by-side comparison is skipped)');
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
