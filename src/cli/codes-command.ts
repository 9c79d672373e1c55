import { parseArgs } from 'node:util';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import { EXIT, type CliIo } from './cli-io.js';

/** `siptriage codes`: every known response code, registered or not. */
export function codesCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: false });
  const kb = defaultKnowledge();
  const rows = [
    ...kb.data.codes.map((c) => ({ code: c.code, reason: c.reason, class: `${Math.floor(c.code / 100)}xx`, registered: true })),
    ...kb.data.unregistered.map((c) => ({ code: c.code, reason: c.reason, class: `${Math.floor(c.code / 100)}xx`, registered: false })),
  ].sort((a, b) => a.code - b.code);
  if (values.json === true) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else for (const r of rows) io.stdout.write(`${r.code}  ${r.reason}${r.registered ? '' : '  (not registered)'}\n`);
  return EXIT.ok;
}
