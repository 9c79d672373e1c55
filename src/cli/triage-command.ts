import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { createEngine } from '../core/engine.js';
import { DEFAULT_MAX_TRACE_BYTES, formatBytes } from '../core/trace/read-trace.js';
import { triageJson } from '../core/triage/report-json.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import type { CliIo } from './run-cli.js';
import { EXIT } from './run-cli.js';

/** siptriage triage [FILE|-] [--json] */
export async function runTriage(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: false });
  const file = positionals[0] ?? '-';
  let input: { text: string; size: number };
  try {
    input = file === '-' ? await readStream(io.stdin, DEFAULT_MAX_TRACE_BYTES) : await readLimited(file, DEFAULT_MAX_TRACE_BYTES);
  } catch (err) {
    io.stderr.write(`siptriage: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT.usage;
  }
  if (input.size > DEFAULT_MAX_TRACE_BYTES) {
    io.stderr.write(`siptriage: ${file === '-' ? 'input' : file} is ${formatBytes(input.size)}, over the ${formatBytes(DEFAULT_MAX_TRACE_BYTES)} limit\n`);
    return EXIT.usage;
  }
  const text = input.text;
  const answer = createEngine(defaultKnowledge()).triage(text);
  if (values.json === true) io.stdout.write(`${JSON.stringify(triageJson(answer.report), null, 2)}\n`);
  else {
    const color = io.stdout.isTTY === true;
    io.stdout.write(`${[answer.summary, ...answer.calls].map((c) => renderCardText(c, { color })).join('\n\n')}\n`);
  }
  return answer.report.entries.length === 0 ? EXIT.usage : EXIT.ok;
}

/** Reads a stream, keeping at most `limit` bytes but counting all, so an oversized input is refused, not buffered. */
async function readStream(stream: NodeJS.ReadableStream, limit: number): Promise<{ text: string; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (size < limit) chunks.push(b.subarray(0, limit - size));
    size += b.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), size };
}

async function readLimited(file: string, limit: number): Promise<{ text: string; size: number }> {
  const { size } = await stat(file);
  if (size > limit) return { text: '', size };
  return { text: await readFile(file, 'utf8'), size };
}
