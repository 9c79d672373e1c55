import type { LadderArrow, LadderCall } from './ladder-model.js';

/** "+0.000 s", "+12.5 s"; blank when the trace has no times. */
export function offsetText(arrow: LadderArrow): string {
  if (arrow.offsetMs === undefined) return '';
  const s = arrow.offsetMs / 1000;
  return `+${s < 100 ? s.toFixed(3) : s.toFixed(1)} s`;
}

/** The two lines over a column: the product when known, and the address. */
export function hostLines(call: LadderCall, i: number): [string, string] {
  const h = call.hosts[i];
  if (h === undefined) return ['', ''];
  return [h.product ?? '', h.address];
}

export const HIGHLIGHT_TEXT = { failure: 'failure', 'failed-request': 'failed request', unanswered: 'no answer' } as const;

/**
 * Positions of the column centres, in character cells (text) or any unit (SVG, scaled by the caller), so
 * that every arrow label fits between the lifelines it spans and every header fits over its column.
 * `charWidth(text)` measures a label; `pad` is the room an arrow needs beyond its label.
 */
export function columnCentres(call: LadderCall, measure: (text: string) => number, pad: number, minGap: number): number[] {
  const n = call.hosts.length;
  const gaps: number[] = new Array<number>(Math.max(0, n - 1)).fill(minGap);
  const headerWidth = (i: number): number => Math.max(...hostLines(call, i).map(measure));
  for (let i = 0; i + 1 < n; i++) gaps[i] = Math.max(gaps[i] ?? minGap, headerWidth(i) / 2 + headerWidth(i + 1) / 2 + pad / 2);
  // Arrows spanning one gap first, then wider ones, widening their last gap when the span is too narrow.
  const spans = call.arrows.map((a) => ({ lo: Math.min(a.from, a.to), hi: Math.max(a.from, a.to), need: measure(a.label) + pad })).filter((s) => s.hi > s.lo);
  spans.sort((a, b) => a.hi - a.lo - (b.hi - b.lo));
  for (const s of spans) {
    let have = 0;
    for (let i = s.lo; i < s.hi; i++) have += gaps[i] ?? 0;
    if (have < s.need) gaps[s.hi - 1] = (gaps[s.hi - 1] ?? 0) + (s.need - have);
  }
  const first = n === 0 ? 0 : headerWidth(0) / 2;
  const centres = [first];
  for (let i = 0; i + 1 < n; i++) centres.push((centres[i] ?? 0) + (gaps[i] ?? 0));
  return centres.map(Math.ceil);
}
