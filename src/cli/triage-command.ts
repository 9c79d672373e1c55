import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { DEFAULT_LEG_OPTIONS } from '../core/calls/leg-keys.js';
import { captureFormat } from '../core/capture/read-capture.js';
import { DEFAULT_MAX_CAPTURE_BYTES, type Engine } from '../core/engine.js';
import { formatBytes } from '../core/trace/read-trace.js';
import { callEvents, type CallEvent } from '../core/triage/call-events.js';
import { triageJson } from '../core/triage/report-json.js';
import { streamCaptureJson, streamCaptureText } from './capture-triage-output.js';
import { cliEngine } from './cli-engine.js';
import { readInput } from './read-input.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

// Chunks a capture file is read in: the reader holds at most one packet record beyond this.
const CHUNK = 256 * 1024;

/**
 * siptriage triage [FILE|-] [--json] [--record]: a text trace or a pcap/pcapng capture. --record counts its calls
 * in the configured store (surface "cli") for stats and digests, with the same counting rules as chat pastes.
 * A capture is read and answered as a stream, so a 60 MB one costs what a small one does.
 */
export async function runTriage(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean' }, record: { type: 'boolean' } }, allowPositionals: true, strict: false });
  const file = positionals[0] ?? '-';
  const json = values.json === true;
  const record = values.record === true;
  const built = cliEngine(io);
  if (!built.ok) {
    io.stderr.write(`siptriage: ${built.error}\n`);
    return EXIT.usage;
  }
  const engine = built.engine;
  const capture = file === '-' ? undefined : await captureFile(file);
  if (capture !== undefined && !capture.ok) {
    io.stderr.write(`siptriage: ${capture.error}\n`);
    return EXIT.usage;
  }
  let events: CallEvent[];
  let messages: number;
  if (capture?.ok === true) {
    const run = await triageCapture(engine, createReadStream(file, { highWaterMark: CHUNK }), json, record, io);
    ({ events } = run);
    messages = run.result.totals.messages;
  } else {
    const input = await readInput(file, io);
    if (!input.ok) {
      io.stderr.write(`siptriage: ${input.error}\n`);
      return EXIT.usage;
    }
    if (captureFormat(input.bytes) !== undefined) {
      const run = await triageCapture(engine, chunksOf(input.bytes), json, record, io);
      ({ events } = run);
      messages = run.result.totals.messages;
    } else {
      const answer = engine.triageBytes(input.bytes, file === '-' ? undefined : file);
      if (json) io.stdout.write(`${JSON.stringify(triageJson(answer.report), null, 2)}\n`);
      else {
        const color = io.stdout.isTTY === true;
        io.stdout.write(`${[answer.summary, ...answer.calls].map((c) => renderCardText(c, { color })).join('\n\n')}\n`);
      }
      events = record ? callEvents(answer.report, Date.now()) : [];
      messages = answer.report.entries.length;
    }
  }
  if (messages === 0) return EXIT.usage;
  if (!record) return EXIT.ok;
  const rows = events.map((e) => ({ ...e, surface: 'cli' as const, workspace: null, channel: null }));
  // The store (and its driver) loads only when asked to record.
  const { withStore } = await import('./store-command.js');
  return withStore(io, async ({ store }) => {
    const r = await store.recordEvents(rows);
    io.stderr.write(`Recorded ${r.inserted} call${r.inserted === 1 ? '' : 's'} in the store${r.duplicates > 0 ? ` (${r.duplicates} already there)` : ''}.\n`);
    return EXIT.ok;
  });
}

function triageCapture(engine: Engine, chunks: AsyncIterable<Uint8Array>, json: boolean, record: boolean, io: CliIo): ReturnType<typeof streamCaptureText> {
  // The same legs as a text trace's triage: CALLS_CORRELATION_HEADERS and CALLS_LEG_RULES, as the service joins them.
  const legs = engine.options.legs ?? DEFAULT_LEG_OPTIONS;
  return json ? streamCaptureJson(engine.kb, chunks, io.stdout, record, legs) : streamCaptureText(engine.kb, chunks, io.stdout, record, legs);
}

/** A file that starts like a capture, size-checked before a byte of it is triaged; undefined for anything else. */
async function captureFile(file: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: string } | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return { ok: false, error: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(4, size));
    await handle.read(head, 0, head.length, 0);
    if (captureFormat(head) === undefined) return undefined;
    if (size > DEFAULT_MAX_CAPTURE_BYTES) return { ok: false, error: `${file} is ${formatBytes(size)}, over the ${formatBytes(DEFAULT_MAX_CAPTURE_BYTES)} limit` };
    return { ok: true };
  } finally {
    await handle.close();
  }
}

async function* chunksOf(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
}
