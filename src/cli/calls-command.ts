import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { writePcap } from '../core/capture/write-pcap.js';
import { keptTraceText } from '../core/calls/kept-trace.js';
import { renderCardText } from '../core/card/render-text.js';
import { parseCallsQuery } from '../core/query/calls-query.js';
import { Redactor } from '../core/redact.js';
import { callRowText, findKeptCalls, listedCall, openKeptCall, shownCall } from '../calls/shown-calls.js';
import { engineFor } from './cli-engine.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';
import { withStore } from './store-command.js';

const USAGE = 'Usage: siptriage calls [code|5xx|peer|number|call-id ID] [1h|24h|7d] [--json] [--limit N] | --call-id ID [--json] [--pcap FILE]';

/** siptriage calls …: kept calls from live traffic, newest first; --call-id opens one (triage, legs, pcap). */
export async function runCalls(args: readonly string[], io: CliIo, now = Date.now()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean' }, 'call-id': { type: 'string' }, pcap: { type: 'string' }, limit: { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const parsed = parseCallsQuery(positionals.join(' '));
  if (!parsed.ok) {
    io.stderr.write(`siptriage: ${parsed.problem}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const limit = typeof values.limit === 'string' ? Number(values.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    io.stderr.write(`siptriage: --limit takes a whole number from 1 to 500\n${USAGE}\n`);
    return EXIT.usage;
  }
  const callId = typeof values['call-id'] === 'string' ? values['call-id'] : undefined;
  if (typeof values.pcap === 'string' && callId === undefined) {
    io.stderr.write(`siptriage: --pcap writes one call: give --call-id\n${USAGE}\n`);
    return EXIT.usage;
  }
  return withStore(io, async ({ store, config }) => {
    if (store.calls === undefined || !config.calls.keep) {
      io.stderr.write('siptriage: calls are not kept here (CALLS_KEEP=off)\n');
      return EXIT.failure;
    }
    const redactor = new Redactor(config.redact);
    if (callId !== undefined) {
      const all = await openKeptCall(store.calls, callId);
      if (all.length === 0) {
        io.stderr.write(`siptriage: no kept call has that Call-ID (kept ${config.calls.keepDays} days)\n`);
        return EXIT.failure;
      }
      if (typeof values.pcap === 'string') {
        await writeFile(values.pcap, writePcap(all.flatMap((c) => c.trace).sort((a, b) => a.time - b.time)));
        io.stderr.write(`siptriage: wrote ${values.pcap}\n`);
      }
      if (values.json === true) io.stdout.write(`${JSON.stringify({ calls: all.map((c) => shownCall(c, redactor)) }, null, 2)}\n`);
      else {
        // Written back with capture times and addresses, so the triage (legs joined) reads as the wire did.
        const text = keptTraceText(all.flatMap((c) => c.trace));
        const answer = engineFor(config).triage(text);
        const color = io.stdout.isTTY === true;
        io.stdout.write(`${[answer.summary, ...answer.calls].map((c) => renderCardText(c, { color })).join('\n\n')}\n`);
      }
      return EXIT.ok;
    }
    const rows = await findKeptCalls(store.calls, parsed.query, limit, now);
    const out = rows.map((r) => listedCall(r, config.redact, redactor));
    if (values.json === true) io.stdout.write(`${JSON.stringify({ calls: out }, null, 2)}\n`);
    else if (out.length === 0) io.stdout.write('No kept calls match.\n');
    else {
      for (const r of out) {
        io.stdout.write(`${callRowText(r)}\n`);
      }
    }
    return EXIT.ok;
  });
}
