import { Redactor, type RedactOptions } from '../redact.js';
import type { TriageReport } from '../triage/triage.js';
import { buildLadder } from './build-ladder.js';
import { renderLadderSvg } from './render-ladder-svg.js';

/** The ladder a chat answer carries as an image: the SVG to rasterise at the edge, and words for it. */
export interface ChatLadder {
  readonly svg: string;
  /** Alt text and caption: which calls are drawn, and what was left out. */
  readonly alt: string;
  /** Calls drawn. */
  readonly calls: number;
  readonly note: string | undefined;
}

/**
 * Arrows in a chat image: a phone shows about this many rows legibly, and a 300-call capture must not become
 * a 20,000-pixel PNG. Failing calls come first; the rest is counted in the note.
 */
export const CHAT_MAX_ARROWS = 60;

/**
 * The failing calls of a triaged trace as a ladder for a chat thread, with addresses and Call-IDs shown as the
 * channel's redaction settings say (the cards follow the same settings). None when no call failed: a trace
 * that worked needs no picture in the thread.
 */
export function chatLadder(report: TriageReport, redact: RedactOptions, maxArrows = CHAT_MAX_ARROWS): ChatLadder | undefined {
  const ladder = buildLadder(report, { failingOnly: true, maxArrows, redactor: new Redactor(redact) });
  if (ladder.calls.length === 0) return undefined;
  const titles = ladder.calls.map((c) => c.title);
  const head = titles.length === 1 ? `Call flow: ${titles[0] ?? ''}` : `Call flow of ${titles.length} failing calls: ${titles.slice(0, 3).join('; ')}${titles.length > 3 ? '; …' : ''}`;
  const alt = ladder.note === undefined ? head : `${head}. ${ladder.note}`;
  return { svg: renderLadderSvg(ladder), alt, calls: ladder.calls.length, note: ladder.note };
}
