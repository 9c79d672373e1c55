import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../src/core/engine.js';
import { chatLadder } from '../src/core/ladder/chat-ladder.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';
import { chatScale } from '../src/adapters/ladder-image.js';
import { svgToPng } from '../src/render/svg-to-png.js';
import { bigTrace } from '../test/adapters/discord/big-trace.js';
import { cpuMs, type BenchResult } from './stats.js';

const RAW = join(import.meta.dirname, '../test/fixtures/traces/raw');
const REDACT = { numbers: true, addresses: true } as const;

/** Least CPU time of one run of `work` over `repeats` (minimum: the machine is shared). */
function leastCpu(repeats: number, work: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const c0 = cpuMs();
    work();
    best = Math.min(best, cpuMs() - c0);
  }
  return best;
}

/**
 * What a chat answer with a ladder costs beyond the triage itself: the SVG of the failing calls (in the triage
 * worker) and its PNG (resvg, on the main thread after the ack), for one failing call and for a 1 MiB paste
 * capped at 60 arrows. The triage of the same trace, measured in the same run, is the baseline.
 */
export function benchLadder(): BenchResult[] {
  const engine = createEngine(loadKnowledge());
  const cases = [
    { label: 'one failing call (486)', text: readFileSync(join(RAW, '02-busy-486.sip'), 'utf8'), repeats: 30 },
    { label: '1 MiB paste, 60-arrow cap', text: bigTrace(1024 * 1024), repeats: 5 },
  ];
  const results: BenchResult[] = [];
  for (const c of cases) {
    const report = engine.triage(c.text).report;
    const ladder = chatLadder(report, REDACT);
    if (ladder === undefined) throw new Error(`no failing call in ${c.label}`);
    // As the chat adapters draw it: zoom 2, or less for a tall ladder (a pixel budget).
    const draw = () => svgToPng(ladder.svg, { scale: chatScale(ladder.svg) });
    draw();
    const triage = leastCpu(c.repeats, () => engine.triage(c.text));
    const svg = leastCpu(c.repeats, () => chatLadder(report, REDACT));
    const png = leastCpu(c.repeats, draw);
    const atTwo = leastCpu(c.repeats, () => svgToPng(ladder.svg, { scale: 2 }));
    const bytes = draw().byteLength;
    results.push(
      { name: `ladder ${c.label}: triage (baseline), CPU`, value: triage, unit: 'ms' },
      { name: `ladder ${c.label}: layout + SVG, CPU`, value: svg, unit: 'ms', ratio: { value: svg / triage, against: 'triage' } },
      { name: `ladder ${c.label}: PNG render, CPU`, value: png, unit: 'ms', ratio: { value: png / triage, against: 'triage' } },
      { name: `ladder ${c.label}: PNG render at zoom 2 regardless, CPU`, value: atTwo, unit: 'ms', ratio: { value: atTwo / triage, against: 'triage' } },
      { name: `ladder ${c.label}: zoom used`, value: chatScale(ladder.svg), unit: '×' },
      { name: `ladder ${c.label}: PNG size`, value: bytes / 1024, unit: 'KiB' },
    );
  }
  return results;
}
