import { BUSY_MESSAGE, OVER_BUDGET_MESSAGE, TRIAGE_OVER_BUDGET, type TriageInput, type TriageOutcome } from '../../ports/triage-runner.js';
import type { Card } from '../../core/card/card.js';
import { detailCards, moreCardsText } from '../../core/card/detail-cards.js';
import { noticeCard } from '../../core/card/notice-card.js';
import { containsSip, uploadLimit } from '../../core/engine.js';
import type { Problem } from '../../core/result.js';
import { fetchAttachment, isCaptureFile, isTraceFile, type AttachmentInfo } from './attachments.js';
import type { DiscordDeps } from './deps.js';

/** What a message or a command offers to triage: its text and its trace attachments. */
export interface TraceInput {
  readonly text: string;
  readonly attachments: readonly AttachmentInfo[];
}

export interface TraceOutcome {
  /** Each source's triage, made on a triage worker: cards, call events and the failing calls' ladder. */
  readonly answers: readonly TriageOutcome[];
  /** What each answer was triaged from, in the same order: kept for Share with carrier. */
  readonly inputs: readonly TriageInput[];
  /** Attachments refused before or while downloading (too large): told to the person, not thrown. */
  readonly problems: readonly Problem[];
}

// A message holds a few files at most; more would be a dump, not a question.
const MAX_FILES = 3;
// Past this much text, reading and triage may approach Discord's 3 s deadline: defer first.
const SLOW_TEXT_BYTES = 256 * 1024;

export function traceFiles(input: TraceInput): AttachmentInfo[] {
  return input.attachments.filter((a) => isTraceFile(a.name)).slice(0, MAX_FILES);
}

/** Whether answering may outlast Discord's 3 s acknowledgement window: any download, or a large text. */
export function mayBeSlow(input: TraceInput): boolean {
  return traceFiles(input).length > 0 || input.text.length > SLOW_TEXT_BYTES;
}

/** Whether there is anything to triage without fetching a byte. */
export function offersTrace(input: TraceInput): boolean {
  return containsSip(input.text) || traceFiles(input).length > 0;
}

/**
 * Triages the text (when it holds SIP) and each trace attachment, downloaded within the size limit. Files go
 * to the engine as bytes with their names, so a capture and a text log each meet the right reader. The
 * triage itself runs on the triage pool: a 1 MiB trace is ~100 ms of CPU and a 64 MiB capture seconds, which
 * on this thread would hold every other interaction past Discord's 3 s acknowledgement window.
 */
export async function triageInput(deps: DiscordDeps, input: TraceInput): Promise<TraceOutcome> {
  const answers: TriageOutcome[] = [];
  const inputs: TriageInput[] = [];
  const problems: Problem[] = [];
  const triage = async (source: TriageInput): Promise<void> => {
    answers.push(await deps.triage.run(source));
    inputs.push(source);
  };
  const triageText = (): Promise<void> => triage({ kind: 'text', text: input.text });
  if (containsSip(input.text)) await triageText();
  for (const file of traceFiles(input)) {
    // A capture claims one of the service's places for capture jobs (CAPTURE_JOBS) before a byte is
    // fetched, as Slack's file path does: the places bound the captures held in memory at once.
    const capture = isCaptureFile(file.name);
    const release = capture ? deps.triage.admitCapture?.() : undefined;
    if (capture && deps.triage.admitCapture !== undefined && release === undefined) {
      problems.push({ code: 'busy', message: `${file.name}: ${BUSY_MESSAGE}` });
      continue;
    }
    try {
      const got = await fetchAttachment(file, { maxBytes: uploadLimit(deps.engine.options, file.name), origins: deps.attachmentOrigins });
      if (!got.ok) {
        problems.push(got.problem);
        continue;
      }
      await triage({ kind: 'bytes', bytes: got.bytes, filename: file.name });
    } catch (err) {
      if ((err as { code?: unknown }).code !== TRIAGE_OVER_BUDGET) throw err;
      deps.log.warn({ err }, 'triage over its memory budget');
      problems.push({ code: 'over-budget', message: `${file.name}: ${OVER_BUDGET_MESSAGE}` });
    } finally {
      // The bytes may still be held for Share with carrier; the place is for the reading, which is over.
      release?.();
    }
  }
  // Text without a start line may still be a trace the readers recognise (a tshark dump, a log excerpt).
  if (answers.length === 0 && problems.length === 0 && input.text.trim() !== '') await triageText();
  return { answers, inputs, problems };
}

/**
 * The cards of every answer: each summary with its first few call cards (worst first, identical calls already
 * one card) and a line counting the rest, then a notice for refused files.
 */
export function outcomeCards(outcome: TraceOutcome): Card[] {
  const cards = outcome.answers.flatMap((a) => {
    const { shown, more } = detailCards(a.calls);
    const rest = more === 0 ? [] : [noticeCard('More calls', [moreCardsText(more, 'Share with carrier posts the whole trace and its ladder.')])];
    return [a.summary, ...shown, ...rest];
  });
  if (outcome.problems.length > 0) cards.push(noticeCard('Not triaged', outcome.problems.map((p) => p.message)));
  return cards;
}

/** True when something was read as SIP: auto-triage stays silent otherwise. */
export function foundSip(outcome: TraceOutcome): boolean {
  return outcome.answers.some((a) => a.messages > 0);
}
