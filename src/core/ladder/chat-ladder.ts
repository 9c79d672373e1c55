import { groupRank } from '../card/failure-groups.js';
import { collapseCalls, rootFailure } from '../card/triage-cards.js';
import { Redactor, type RedactOptions } from '../redact.js';
import type { TriageReport } from '../triage/triage.js';
import { buildLadder } from './build-ladder.js';
import { renderLadderSvg } from './render-ladder-svg.js';

/** The ladder a chat answer carries as an image: the SVG to rasterise at the edge, and words for it. */
export interface ChatLadder {
  readonly svg: string;
  /** Alt text and caption: which calls are drawn, and what was left out. */
  readonly alt: string;
  /** Calls drawn (each standing for itself and any identical calls). */
  readonly calls: number;
  readonly note: string | undefined;
}

/**
 * Arrows in a chat image: a phone shows about this many rows legibly, and a 300-call capture must not become
 * a 20,000-pixel PNG. Failing calls come first; the rest is counted in the note.
 */
export const CHAT_MAX_ARROWS = 60;
/**
 * Distinct failing calls drawn in one chat image. Five stacked calls made a 1271×3148 image that no chat
 * preview shows legibly; identical calls are drawn once, and the summary counts the rest.
 */
export const CHAT_MAX_CALLS = 2;

/**
 * The failing calls of a triaged trace as a ladder for a chat thread, with addresses and Call-IDs shown as the
 * channel's redaction settings say (the cards follow the same settings): each distinct failing call once,
 * identical ones counted with it. None when no call failed: a trace that worked needs no picture.
 */
export function chatLadder(report: TriageReport, redact: RedactOptions, maxArrows = CHAT_MAX_ARROWS): ChatLadder | undefined {
  // Worst first, as the summary ranks them: server-side (5xx) failures before the rest.
  const failing = report.calls
    .filter((c) => c.call.outcome === 'failed' || c.call.outcome === 'no-final')
    .map((c, i) => ({ c, i, rank: groupRank(rootFailure(c.call)?.message.status) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.c);
  const distinct = collapseCalls(failing);
  const picked = distinct.slice(0, CHAT_MAX_CALLS);
  const keep = new Set(picked.map((p) => p.report));
  // Legs joined into one call stay drawable: the other legs of a picked call come along.
  const legIds = new Set((report.legs ?? []).filter((g) => g.callIds.some((id) => picked.some((p) => p.report.call.callId === id))).flatMap((g) => g.callIds));
  const order = new Map(failing.map((c, i) => [c, i]));
  const calls = report.calls.filter((c) => keep.has(c) || legIds.has(c.call.callId)).sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
  const scoped: TriageReport = { ...report, calls };
  const ladder = buildLadder(scoped, { failingOnly: true, maxArrows, redactor: new Redactor(redact) });
  if (ladder.calls.length === 0) return undefined;
  const titles = ladder.calls.map((c, i) => {
    const same = picked[i]?.callIds.length ?? 1;
    return same > 1 ? `${c.title} ×${same}` : c.title;
  });
  const head = titles.length === 1 ? `Call flow: ${titles[0] ?? ''}` : `Call flow of ${titles.length} failing calls: ${titles.join('; ')}`;
  const left = distinct.length - picked.length;
  const notes = [
    ...(left > 0 ? [`${left} other distinct failing call${left === 1 ? '' : 's'} not drawn (the summary counts them; Share with carrier draws them all)`] : []),
    ...(ladder.note === undefined ? [] : [ladder.note]),
  ];
  const note = notes.length === 0 ? undefined : notes.join('. ');
  const alt = note === undefined ? head : `${head}. ${note}`;
  return { svg: renderLadderSvg(ladder), alt, calls: ladder.calls.length, note };
}
