import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildShareBundle, shareRedaction } from '../core/share/share-bundle.js';
import { redactionSentence } from '../core/share/share-summary.js';
import { Redactor } from '../core/redact.js';
import { svgToPng } from '../render/svg-to-png.js';
import { cliEngine } from './cli-engine.js';
import { readInput } from './read-input.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

/** siptriage share FILE [--out DIR] [--call CALL-ID] [--keep-numbers] [--keep-addresses] */
export async function runShare(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { out: { type: 'string' }, call: { type: 'string' }, 'keep-numbers': { type: 'boolean' }, 'keep-addresses': { type: 'boolean' } },
    allowPositionals: true,
    strict: false,
  });
  const file = positionals[0];
  if (file === undefined) {
    io.stderr.write('siptriage: share needs a trace or capture file: siptriage share FILE [--out DIR]\n');
    return EXIT.usage;
  }
  const input = await readInput(file, io);
  if (!input.ok) {
    io.stderr.write(`siptriage: ${input.error}\n`);
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
  const redact = shareRedaction({ numbers: values['keep-numbers'] === true, addresses: values['keep-addresses'] === true });
  const callId = typeof values.call === 'string' ? values.call : undefined;
  if (callId !== undefined && !answer.report.calls.some((c) => c.call.callId === callId)) {
    io.stderr.write(`siptriage: no call with Call-ID ${callId} in ${input.name}\n`);
    return EXIT.usage;
  }
  const bundle = buildShareBundle(answer.report, {
    redact,
    rasterize: (svg) => svgToPng(svg),
    source: basename(input.name),
    ...(callId === undefined ? {} : { callId }),
  });
  const dir = typeof values.out === 'string' ? values.out : `${file === '-' ? 'trace' : basename(file).replace(/\.[^.]+$/, '')}-share`;
  await mkdir(dir, { recursive: true });
  for (const f of bundle.files) await writeFile(join(dir, f.name), f.content);
  io.stdout.write(`${bundle.summary}\n`);
  io.stderr.write(
    `siptriage: wrote ${bundle.files.map((f) => f.name).join(', ')} to ${dir}/\n` +
      `siptriage: redaction: ${redactionSentence(new Redactor(redact))}` +
      `${redact.numbers && redact.addresses ? ' (--keep-numbers / --keep-addresses turn masking off)' : ''}\n`,
  );
  return EXIT.ok;
}
