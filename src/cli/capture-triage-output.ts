import { once } from 'node:events';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { renderCardText } from '../core/card/render-text.js';
import { callLine, shownInDetail, triageCallCard } from '../core/card/triage-cards.js';
import { triageCards, triageSummaryCard } from '../core/card/triage-summary.js';
import type { LegOptions } from '../core/calls/leg-keys.js';
import { MediaAnalyzer } from '../core/media/media-analyzer.js';
import { callEvent, type CallEvent } from '../core/triage/call-events.js';
import { CaptureTriage, type CaptureTriageResult } from '../core/triage/capture-triage.js';
import { callJson, legGroupJson, listedResponse, problemJson, responseJson, streamJson } from '../core/triage/report-json.js';
import { OUTCOME_RANK } from '../core/triage/triage.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';

/** Writes text as it is made, waiting when the reader is slower, so output never piles up in memory. */
class Output {
  readonly #stream: Writable;
  #parts: string[] = [];

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  write(text: string): void {
    this.#parts.push(text);
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join('');
    this.#parts = [];
    if (!this.#stream.write(text)) await once(this.#stream, 'drain');
  }
}

export interface CaptureTriageRun {
  readonly result: CaptureTriageResult;
  /** Every call's store event, when asked for (--record). */
  readonly events: CallEvent[];
}

// Cards held back so that a small capture prints its summary first, as a text trace does; past this the
// cards stream as their calls end and the summary closes the output.
const HELD_CARDS = 50;
const HELD_BYTES = 256 * 1024;
// Full cards printed per way of ending (method, code, outcome); later calls that end the same way get one
// line each: 20,000 copies of the 486 remediation would be 100 MB that nobody reads.
const FULL_CARDS_PER_ENDING = 3;

/**
 * `siptriage triage CAPTURE` as text: each failing call's card as soon as the call is judged, then the
 * summary. Memory stays that of the triage whatever the capture holds.
 */
export async function streamCaptureText(kb: KnowledgeBase, chunks: AsyncIterable<Uint8Array>, stdout: Writable & { isTTY?: boolean }, record: boolean, legs: LegOptions): Promise<CaptureTriageRun> {
  const color = stdout.isTTY === true;
  const out = new Output(stdout);
  const events: CallEvent[] = [];
  const seenAt = Date.now();
  let held: { rank: number; first: number; text: string }[] | undefined = [];
  let heldBytes = 0;
  const endings = new Map<string, number>();
  const triage = new CaptureTriage(kb, {
    media: new MediaAnalyzer(),
    legs,
    onCall: (r) => {
      if (record) {
        const e = callEvent(r, seenAt);
        if (e !== undefined) events.push(e);
      }
      if (!shownInDetail(r)) return;
      const ending = `${r.call.method}|${r.call.final?.message.status ?? ''}|${r.call.outcome}`;
      const seen = (endings.get(ending) ?? 0) + 1;
      if (endings.size < 10_000 || endings.has(ending)) endings.set(ending, seen);
      const text =
        seen <= FULL_CARDS_PER_ENDING
          ? renderCardText(triageCallCard(kb, r), { color })
          : `${callLine(r.call)}: Call-ID ${r.call.callId || '(none)'} (as the calls above that ended this way)`;
      if (held === undefined) {
        out.write(`${text}\n\n`);
        return;
      }
      held.push({ rank: OUTCOME_RANK[r.call.outcome], first: r.call.entries[0]?.index ?? 0, text });
      heldBytes += text.length;
      if (held.length > HELD_CARDS || heldBytes > HELD_BYTES) {
        for (const h of held) out.write(`${h.text}\n\n`);
        held = undefined;
      }
    },
  });
  for await (const chunk of chunks) {
    triage.push(chunk);
    await out.flush();
  }
  const result = triage.end();
  const summary = renderCardText(triageSummaryCard(kb, result.report, result.totals), { color });
  if (held === undefined) out.write(`${summary}\n`);
  else if (result.totals.calls === result.report.calls.length) {
    // Every call was kept, and judged again with the media measured to the end: the cards of a whole read.
    const cards = triageCards(kb, result.report, result.totals);
    out.write(`${[cards.summary, ...cards.calls].map((c) => renderCardText(c, { color })).join('\n\n')}\n`);
  } else {
    // Failing calls first, each in trace order: the order the cards of a text trace come in.
    held.sort((a, b) => a.rank - b.rank || a.first - b.first);
    out.write(`${[summary, ...held.map((h) => h.text)].join('\n\n')}\n`);
  }
  await out.flush();
  return { result, events };
}

/**
 * `siptriage triage CAPTURE --json`: the report's JSON with every call, written as calls are judged. The
 * responses, listed in trace order, wait in a temporary file meanwhile, not in memory.
 */
export async function streamCaptureJson(kb: KnowledgeBase, chunks: AsyncIterable<Uint8Array>, stdout: Writable, record: boolean, legs: LegOptions): Promise<CaptureTriageRun> {
  const out = new Output(stdout);
  const events: CallEvent[] = [];
  const seenAt = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-responses-'));
  const spill = join(dir, 'responses.json');
  const fd = openSync(spill, 'w');
  try {
    let calls = 0;
    let responses: string[] = [];
    let listed = 0;
    // Calls held back like the text cards: a small capture's calls are written at the end, with their media.
    let held: string[] | undefined = [];
    const triage = new CaptureTriage(kb, {
      media: new MediaAnalyzer(),
      legs,
      onEntry: (e) => {
        if (!listedResponse(e)) return;
        responses.push(`${listed++ === 0 ? '' : ','}\n    ${JSON.stringify(responseJson(e))}`);
      },
      onCall: (r) => {
        if (record) {
          const e = callEvent(r, seenAt);
          if (e !== undefined) events.push(e);
        }
        const text = indent(JSON.stringify(callJson(r), null, 2), '    ');
        if (held === undefined) out.write(`${calls++ === 0 ? '{\n  "calls": [' : ','}\n    ${text}`);
        else if (held.push(text) > HELD_CARDS) {
          for (const h of held) out.write(`${calls++ === 0 ? '{\n  "calls": [' : ','}\n    ${h}`);
          held = undefined;
        }
      },
    });
    for await (const chunk of chunks) {
      triage.push(chunk);
      if (responses.length > 0) {
        writeSync(fd, responses.join(''));
        responses = [];
      }
      await out.flush();
    }
    const result = triage.end();
    if (held !== undefined) {
      const media = result.report.media;
      const all = result.totals.calls === result.report.calls.length;
      const texts = all ? result.report.calls.map((r) => indent(JSON.stringify(callJson(r, media), null, 2), '    ')) : held;
      for (const h of texts) out.write(`${calls++ === 0 ? '{\n  "calls": [' : ','}\n    ${h}`);
    }
    if (responses.length > 0) writeSync(fd, responses.join(''));
    closeSync(fd);
    out.write(`${calls === 0 ? '{\n  "calls": [' : '\n  '}],\n  "responses": [`);
    await out.flush();
    for await (const chunk of createReadStream(spill, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
      out.write(chunk as string);
      await out.flush();
    }
    const problems = result.report.problems.map(problemJson);
    // Streamed calls were written before the media was known: their RTP streams are listed here instead.
    const streams = held === undefined && result.report.media !== undefined ? `  "media": ${indent(JSON.stringify(result.report.media.streams.map(streamJson), null, 2), '  ')},\n` : '';
    out.write(
      `${listed === 0 ? '' : '\n  '}],\n  "format": ${JSON.stringify(result.report.format)},\n  "messages": ${result.totals.messages},\n${streams}` +
        `  "problems": ${indent(JSON.stringify(problems, null, 2), '  ')},\n` +
        // A capture is never repaired, but the key stays so every report has the one documented shape.
        `  "repairs": [],\n` +
        `  "legs": ${indent(JSON.stringify((result.report.legs ?? []).map(legGroupJson), null, 2), '  ')}\n}\n`,
    );
    await out.flush();
    return { result, events };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Already closed on the way through.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function indent(json: string, by: string): string {
  return json.replace(/\n/g, `\n${by}`);
}
