import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { CaptureReader, readCapture } from '../src/core/capture/read-capture.js';
import type { SipMessage } from '../src/core/sip/message.js';
import { benchCaptureCli } from './capture-cli.js';
import { writeBenchCapture, type TruthRow } from './capture-file.js';
import { percentile, type BenchResult } from './stats.js';

const run = promisify(execFile);
const TARGET = 100 * 1024 * 1024;

type Row = readonly [frame: number, status: string, callId: string, cseq: string];
// Copied out of the message text, so that holding the rows does not hold every message.
const copy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
const rowOf = (m: SipMessage): Row => [m.meta.frame ?? 0, m.status === undefined ? '' : String(m.status), copy(m.callId), copy(m.get('CSeq') ?? '')];

/**
 * SIP messages per second read from a ~100 MB capture built from the fixtures, by siptriage (in memory and
 * streamed from disk) and by tshark on the same file in the same run, with every message of both checked
 * against what the file is known to hold.
 */
export async function benchCapture(): Promise<BenchResult[]> {
  return [...(await benchCaptureRead()), ...(await benchCaptureCli())];
}

async function benchCaptureRead(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-bench-'));
  const path = join(dir, 'bench.pcap');
  try {
    const made = await writeBenchCapture(path, TARGET);
    const size = statSync(path).size;
    console.log(`capture: ${(size / 1024 / 1024).toFixed(1)} MiB, ${made.frames} frames, ${made.truth.length} SIP messages (${made.truth.filter((t) => t.spaced).length} with "Call-ID  :"), in ${path}`);
    const bytes = readFileSync(path);

    // In memory: the file as one buffer, each message handed over as it is read. The timed runs keep
    // nothing, so the garbage collector is not timed holding 186k messages' text; a sixth run collects
    // what each message says for the check.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      let count = 0;
      const t0 = performance.now();
      const read = readCapture(bytes, { onMessage: () => count++, limits: { maxMessages: 10_000_000 } });
      times.push(performance.now() - t0);
      if (read.problems.length > 0 || count !== made.truth.length) throw new Error(`reading the bench capture: ${count} messages, ${JSON.stringify(read.problems.slice(0, 3))}`);
    }
    const rows: Row[] = [];
    readCapture(bytes, { onMessage: (m) => rows.push(rowOf(m)), limits: { maxMessages: 10_000_000 } });
    const oursWrong = compare(rows, made.truth);
    const oursRate = made.truth.length / (percentile(times, 50) / 1000);

    // Streamed from disk in 64 KiB chunks, as a chat upload would arrive.
    const t1 = performance.now();
    const reader = new CaptureReader({ onMessage: () => {}, limits: { maxMessages: 10_000_000 } });
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) reader.push(chunk as Buffer);
    const streamed = reader.end();
    const streamMs = performance.now() - t1;

    const results: BenchResult[] = [
      { name: 'capture: siptriage, in memory (median of 5)', value: oursRate, unit: 'SIP msg/s' },
      { name: 'capture: siptriage, streamed from disk, 64 KiB chunks', value: streamed.stats.sipMessages / (streamMs / 1000), unit: 'SIP msg/s' },
      { name: 'capture: siptriage messages differing from the known content', value: oursWrong.length, unit: `of ${made.truth.length}` },
    ];

    const tshark = await tsharkRun(path);
    if (tshark === undefined) {
      console.log('  (tshark is not installed: the side-by-side comparison is skipped)');
      return results;
    }
    const theirWrong = compare(tshark.rows, made.truth);
    const missed = theirWrong.filter((w) => w.row === undefined);
    const spacedMisread = theirWrong.filter((w) => w.row !== undefined && w.truth.spaced).length;
    const tsharkRate = tshark.rows.length / (tshark.ms / 1000);
    results.unshift({ name: 'capture: tshark -T fields (Status-Code, Call-ID, CSeq)', value: tsharkRate, unit: 'SIP msg/s' });
    results[1] = { ...results[1]!, ratio: { value: oursRate / tsharkRate, against: 'tshark' } };
    results[2] = { ...results[2]!, ratio: { value: (streamed.stats.sipMessages / (streamMs / 1000)) / tsharkRate, against: 'tshark' } };
    results.push(
      { name: 'capture: tshark frames per second', value: made.frames / (tshark.ms / 1000), unit: 'frames/s' },
      { name: 'capture: tshark messages differing from the known content', value: theirWrong.length, unit: `of ${made.truth.length}` },
      { name: 'capture:   "Call-ID  :" messages whose Call-ID tshark misread', value: spacedMisread, unit: `of ${made.truth.filter((t) => t.spaced).length}` },
      { name: 'capture:   messages tshark did not report as SIP at all', value: missed.length, unit: `of ${made.truth.length}` },
    );
    const example = theirWrong.find((w) => w.row !== undefined && w.truth.spaced);
    const ours = example === undefined ? undefined : rows.find((r) => r[0] === example.truth.frame);
    if (example !== undefined) {
      console.log(`  "Call-ID  :" in frame ${example.truth.frame}: known ${JSON.stringify(example.truth.callId)}, tshark ${JSON.stringify(example.row?.[2])}, siptriage ${JSON.stringify(ours?.[2])}`);
    }
    if (missed.length > 0) {
      console.log(`  tshark reported no SIP in ${missed.length} frames that carry it, e.g. frame ${missed[0]?.truth.frame} (a TCP port tshark gives to another dissector; SIP is found by content here)`);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Messages whose row differs from the truth, matched by frame (a frame holds at most one SIP message here). */
function compare(rows: readonly Row[], truth: readonly TruthRow[]): { truth: TruthRow; row: Row | undefined }[] {
  const byFrame = new Map(rows.map((r) => [r[0], r]));
  const wrong: { truth: TruthRow; row: Row | undefined }[] = [];
  for (const t of truth) {
    const r = byFrame.get(t.frame);
    if (r === undefined || r[1] !== t.status || r[2] !== t.callId || r[3] !== t.cseq) wrong.push({ truth: t, row: r });
  }
  // Rows for frames that hold no SIP are wrong too.
  const frames = new Set(truth.map((t) => t.frame));
  for (const r of rows) if (!frames.has(r[0])) wrong.push({ truth: { frame: r[0], status: '', callId: '', cseq: '', spaced: false }, row: r });
  return wrong;
}

// The command from the issue, timed as a whole (start-up included, as a person running it would wait), with
// frame.number added first so that each message can be matched with what the file is known to hold.
async function tsharkRun(path: string): Promise<{ rows: Row[]; ms: number } | undefined> {
  try {
    await run('tshark', ['-v']);
  } catch {
    return undefined;
  }
  const t0 = performance.now();
  const { stdout } = await run('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'sip.Status-Code', '-e', 'sip.Call-ID', '-e', 'sip.CSeq'], { maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - t0;
  // One line per frame; frames without SIP have every field empty (a SIP message always has a CSeq).
  const rows = stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((c) => c[3] !== undefined && c[3] !== '')
    .map((c): Row => [Number(c[0]), c[1] ?? '', c[2] ?? '', c[3] ?? '']);
  return { rows, ms };
}
