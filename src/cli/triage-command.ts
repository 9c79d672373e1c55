import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { createEngine } from '../core/engine.js';
import { triageJson } from '../core/triage/report-json.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import { readInput } from './read-input.js';
import type { CliIo } from './run-cli.js';
import { EXIT } from './run-cli.js';

/** siptriage triage [FILE|-] [--json]: a text trace or a pcap/pcapng capture. */
export async function runTriage(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: false });
  const file = positionals[0] ?? '-';
  const input = await readInput(file, io);
  if (!input.ok) {
    io.stderr.write(`siptriage: ${input.error}\n`);
    return EXIT.usage;
  }
  const answer = createEngine(defaultKnowledge()).triageBytes(input.bytes, file === '-' ? undefined : file);
  if (values.json === true) io.stdout.write(`${JSON.stringify(triageJson(answer.report), null, 2)}\n`);
  else {
    const color = io.stdout.isTTY === true;
    io.stdout.write(`${[answer.summary, ...answer.calls].map((c) => renderCardText(c, { color })).join('\n\n')}\n`);
  }
  return answer.report.entries.length === 0 ? EXIT.usage : EXIT.ok;
}
