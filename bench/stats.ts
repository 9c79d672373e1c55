export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Ratio against a baseline measured in the same run, when there is one. */
  readonly ratio?: { readonly value: number; readonly against: string };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export function printResults(title: string, results: readonly BenchResult[]): void {
  console.log(`\n${title}`);
  for (const r of results) {
    const value = r.value >= 100 ? r.value.toFixed(0) : r.value >= 1 ? r.value.toFixed(2) : r.value.toFixed(3);
    const ratio = r.ratio === undefined ? '' : `   ${r.ratio.value.toFixed(2)}× ${r.ratio.against}`;
    console.log(`  ${r.name.padEnd(58)} ${value.padStart(12)} ${r.unit}${ratio}`);
  }
}

/**
 * CPU time of this process in milliseconds. On a shared, loaded machine wall time measures the neighbours;
 * CPU time (user + system) measures our own work, so the benches report it, with minimums over repeats.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
