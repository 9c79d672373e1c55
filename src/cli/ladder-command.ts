import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildLadder } from '../core/ladder/build-ladder.js';
import { renderLadderMermaid } from '../core/ladder/render-ladder-mermaid.js';
import { renderLadderSvg } from '../core/ladder/render-ladder-svg.js';
import { renderLadderText } from '../core/ladder/render-ladder-text.js';
import { svgToPng } from '../render/svg-to-png.js';
import { cliEngine } from './cli-engine.js';
import { readInput } from './read-input.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

/** siptriage ladder FILE [--call CALL-ID] [--png OUT.png] [--svg OUT.svg] [--mermaid] [--max N] */
export async function runLadder(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { call: { type: 'string' }, png: { type: 'string' }, svg: { type: 'string' }, mermaid: { type: 'boolean' }, max: { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const file = positionals[0] ?? '-';
  const input = await readInput(file, io);
  if (!input.ok) {
    io.stderr.write(`siptriage: ${input.error}\n`);
    return EXIT.usage;
  }
  const max = typeof values.max === 'string' ? Number(values.max) : undefined;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    io.stderr.write('siptriage: --max takes a positive whole number of arrows\n');
    return EXIT.usage;
  }
  const built = cliEngine(io);
  if (!built.ok) {
    io.stderr.write(`siptriage: ${built.error}\n`);
    return EXIT.usage;
  }
  const answer = built.engine.triageBytes(input.bytes, file === '-' ? undefined : file);
  if (answer.report.entries.length === 0) {
    io.stderr.write(`siptriage: ${answer.report.problems[0]?.message ?? 'no SIP messages found'}\n`);
    return EXIT.usage;
  }
  const ladder = buildLadder(answer.report, {
    ...(typeof values.call === 'string' ? { callId: values.call } : {}),
    ...(max === undefined ? {} : { maxArrows: max }),
  });
  if (ladder.calls.length === 0) {
    io.stderr.write(`siptriage: ${ladder.note ?? 'no calls to draw'}\n`);
    return EXIT.usage;
  }
  const svg = typeof values.svg === 'string' || typeof values.png === 'string' ? renderLadderSvg(ladder) : undefined;
  if (typeof values.svg === 'string' && svg !== undefined) {
    await writeFile(values.svg, svg);
    io.stderr.write(`siptriage: wrote ${values.svg}\n`);
  }
  if (typeof values.png === 'string' && svg !== undefined) {
    await writeFile(values.png, svgToPng(svg));
    io.stderr.write(`siptriage: wrote ${values.png}\n`);
  }
  if (values.mermaid === true) io.stdout.write(renderLadderMermaid(ladder));
  else if (typeof values.svg !== 'string' && typeof values.png !== 'string') {
    io.stdout.write(`${renderLadderText(ladder, { color: io.stdout.isTTY === true })}\n`);
  }
  return EXIT.ok;
}
