import { svgNumber, svgText, type TextStyle } from '../svg/svg-text.js';
import { columnCentres, HIGHLIGHT_TEXT, hostLines, offsetText } from './ladder-layout.js';
import type { Ladder, LadderArrow, LadderCall } from './ladder-model.js';

// Monospace so that widths can be computed without a font engine: DejaVu Sans Mono's advance is 0.602 em.
const FONT = "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace";
const SIZE = 12;
const CHAR = SIZE * 0.61;
const MARGIN = 16;
const TIME_COLUMN = 84;
const ROW = 26;
const HEADER = 40;
const COLORS = { line: '#37474f', text: '#212121', muted: '#757575', fail: '#c62828', failBand: '#fdecea', box: '#eceff1', boxLine: '#90a4ae' };

const measure = (text: string, size = SIZE): number => ([...text].length * CHAR * size) / SIZE;
// Call titles are drawn larger than the rest, so they are measured at their own size or they run off the image.
const TITLE_SIZE = 14;

/**
 * The ladder as a standalone SVG document, built as a string (no DOM, no font engine): the same picture as
 * the text ladder, for rasterising to PNG at the edge. Deterministic, so it can be snapshot-tested.
 */
export function renderLadderSvg(ladder: Ladder): string {
  const parts: string[] = [];
  let y = MARGIN;
  let width = 480;
  ladder.calls.forEach((call, i) => {
    const section = callSection(call, i, ladder.calls.length, y);
    parts.push(section.svg);
    y = section.bottom + 24;
    width = Math.max(width, section.width);
  });
  if (ladder.calls.length === 0) {
    parts.push(text(MARGIN, y + SIZE, '(no calls to draw)', { fill: COLORS.muted }));
    y += ROW;
  }
  if (ladder.note !== undefined) {
    parts.push(text(MARGIN, y + SIZE, `Note: ${ladder.note}`, { fill: COLORS.muted }));
    width = Math.max(width, MARGIN * 2 + measure(`Note: ${ladder.note}`));
    y += ROW;
  }
  const w = Math.ceil(width);
  const h = Math.ceil(y + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${FONT}" font-size="${SIZE}">`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function callSection(call: LadderCall, index: number, count: number, top: number): { svg: string; bottom: number; width: number } {
  const centres = columnCentres(call, (t) => measure(t), 48, 150).map((c) => c + MARGIN + TIME_COLUMN);
  const boxWidth = (i: number): number => Math.max(...hostLines(call, i).map((t) => measure(t))) + 16;
  const last = centres.length - 1;
  // Notes ("failure", "retransmission") go in a column of their own right of the last host.
  const notesX = (centres[last] ?? MARGIN + TIME_COLUMN) + Math.max(boxWidth(last) / 2, 0) + 12;
  const notes = call.arrows.map(noteText);
  const title = `Call ${index + 1} of ${count}: ${call.title}`;
  const right = Math.max(
    MARGIN + measure(title, TITLE_SIZE) + 8,
    MARGIN + measure(`Call-ID ${call.callId}`),
    ...notes.map((t) => (t === '' ? 0 : notesX + measure(t))),
    notesX,
  );
  const out: string[] = [];
  out.push(text(MARGIN, top + 14, title, { weight: 'bold', size: TITLE_SIZE, fill: call.outcome === 'failed' || call.outcome === 'no-final' ? COLORS.fail : COLORS.text }));
  out.push(text(MARGIN, top + 32, `Call-ID ${call.callId}`, { fill: COLORS.muted }));
  const boxTop = top + 44;
  const rowsTop = boxTop + HEADER + 8;
  const bottom = rowsTop + (call.arrows.length + (call.omittedArrows > 0 ? 1 : 0)) * ROW + 8;
  call.arrows.forEach((arrow, r) => {
    if (arrow.highlight !== undefined) out.push(`<rect x="${MARGIN / 2}" y="${rowsTop + r * ROW}" width="${n(right - MARGIN / 2)}" height="${ROW - 2}" fill="${COLORS.failBand}"/>`);
  });
  call.hosts.forEach((_, i) => {
    const [product, address] = hostLines(call, i);
    const x = centres[i] ?? 0;
    const w = boxWidth(i);
    out.push(`<rect x="${n(x - w / 2)}" y="${boxTop}" width="${n(w)}" height="${HEADER}" rx="4" fill="${COLORS.box}" stroke="${COLORS.boxLine}"/>`);
    if (product !== '') out.push(text(x, boxTop + 16, product, { anchor: 'middle', weight: 'bold' }));
    out.push(text(x, boxTop + (product === '' ? 24 : 32), address, { anchor: 'middle' }));
    out.push(`<line x1="${n(x)}" y1="${boxTop + HEADER}" x2="${n(x)}" y2="${bottom}" stroke="${COLORS.boxLine}"/>`);
  });
  call.arrows.forEach((arrow, r) => out.push(arrowSvg(arrow, centres, rowsTop + r * ROW, notesX, notes[r] ?? '')));
  if (call.omittedArrows > 0) {
    const rowY = rowsTop + call.arrows.length * ROW;
    out.push(text(MARGIN + TIME_COLUMN, rowY + 18, `… ${call.omittedArrows} more message${call.omittedArrows === 1 ? '' : 's'} in this call not shown`, { fill: COLORS.muted }));
  }
  return { svg: `<g>\n${out.join('\n')}\n</g>`, bottom, width: right + MARGIN };
}

function noteText(arrow: LadderArrow): string {
  return [arrow.retransmission ? 'retransmission' : '', arrow.highlight === undefined ? '' : HIGHLIGHT_TEXT[arrow.highlight]].filter((t) => t !== '').join(', ');
}

function arrowSvg(arrow: LadderArrow, centres: readonly number[], rowY: number, notesX: number, note: string): string {
  const out: string[] = [];
  const a = centres[arrow.from] ?? 0;
  const b = centres[arrow.to] ?? 0;
  const lineY = rowY + 18;
  const fail = arrow.highlight !== undefined;
  const stroke = fail ? COLORS.fail : arrow.retransmission ? COLORS.muted : COLORS.line;
  const labelFill = fail ? COLORS.fail : arrow.retransmission ? COLORS.muted : COLORS.text;
  out.push(text(MARGIN, lineY + 4, offsetText(arrow), { fill: COLORS.muted }));
  const dash = arrow.retransmission ? ' stroke-dasharray="5 4"' : '';
  const width = fail ? 2 : 1.2;
  if (a === b) {
    out.push(`<path d="M ${n(a)} ${lineY - 6} h 24 v 12 h -20" fill="none" stroke="${stroke}" stroke-width="${width}"${dash}/>`);
    out.push(`<polygon points="${n(a)},${lineY + 6} ${n(a + 7)},${lineY + 2} ${n(a + 7)},${lineY + 10}" fill="${stroke}"/>`);
    out.push(text(a + 30, lineY + 4, arrow.label, { fill: labelFill, weight: fail ? 'bold' : 'normal' }));
  } else {
    const dir = b > a ? 1 : -1;
    out.push(`<line x1="${n(a)}" y1="${lineY}" x2="${n(b - dir * 8)}" y2="${lineY}" stroke="${stroke}" stroke-width="${width}"${dash}/>`);
    out.push(`<polygon points="${n(b)},${lineY} ${n(b - dir * 9)},${lineY - 4} ${n(b - dir * 9)},${lineY + 4}" fill="${stroke}"/>`);
    out.push(text((a + b) / 2, lineY - 5, arrow.label, { anchor: 'middle', fill: labelFill, weight: fail ? 'bold' : 'normal' }));
  }
  if (note !== '') out.push(text(notesX, lineY + 4, note, { fill: fail ? COLORS.fail : COLORS.muted, size: 11 }));
  return out.join('\n');
}

function text(x: number, y: number, content: string, style: TextStyle = {}): string {
  return svgText(x, y, content, style, COLORS.text);
}

const n = svgNumber;
