import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { createEngine } from '../core/engine.js';
import { callEvents } from '../core/triage/call-events.js';
import { triageJson } from '../core/triage/report-json.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import { readInput } from './read-input.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

/**
 * siptriage triage [FILE|-] [--json] [--record]: a text trace or a pcap/pcapng capture. --record counts its calls
 * in the configured store (surface "cli") for stats and digests, with the same counting rules as chat pastes.
 */
export async function runTriage(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean' }, record: { type: 'boolean' } }, allowPositionals: true, strict: false });
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
  if (answer.report.entries.length === 0) return EXIT.usage;
  if (values.record !== true) return EXIT.ok;
  const events = callEvents(answer.report, Date.now()).map((e) => ({ ...e, surface: 'cli' as const, workspace: null, channel: null }));
  // The store (and its driver) loads only when asked to record.
  const { withStore } = await import('./store-command.js');
  return withStore(io, async ({ store }) => {
    const r = await store.recordEvents(events);
    io.stderr.write(`Recorded ${r.inserted} call${r.inserted === 1 ? '' : 's'} in the store${r.duplicates > 0 ? ` (${r.duplicates} already there)` : ''}.\n`);
    return EXIT.ok;
  });
}
