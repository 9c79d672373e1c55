import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { createEngine } from '../core/engine.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import { EXIT, type CliIo } from './cli-io.js';

/** `siptriage explain <query…>`: one card, exit 2 when the query matched nothing. */
export function explainCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: false });
  const card = createEngine(defaultKnowledge()).explain(positionals.join(' '));
  if (values.json === true) io.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
  else io.stdout.write(`${renderCardText(card, { color: io.stdout.isTTY === true })}\n`);
  return card.isError === true || positionals.length === 0 ? EXIT.usage : EXIT.ok;
}
