import { columnCentres, HIGHLIGHT_TEXT, hostLines, offsetText } from './ladder-layout.js';
import type { Ladder, LadderArrow, LadderCall } from './ladder-model.js';

export interface LadderTextOptions {
  /** ANSI colours: failures red, retransmissions dim. */
  readonly color?: boolean;
}

const TIME_WIDTH = 11;
const RED = '\u001b[31m';
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/**
 * The ladder as text, like sngrep's call flow: one column per host, one line per message with its time
 * since the call's first message. Failures are drawn with double lines and named at the end of the line,
 * retransmissions with dotted lines, so the picture reads the same without colour.
 */
export function renderLadderText(ladder: Ladder, options: LadderTextOptions = {}): string {
  const blocks = ladder.calls.map((call, i) => renderCall(call, i, ladder.calls.length, options.color === true));
  if (ladder.note !== undefined) blocks.push(`Note: ${ladder.note}`);
  if (blocks.length === 0) return '(no calls to draw)';
  return blocks.join('\n\n');
}

function renderCall(call: LadderCall, index: number, count: number, color: boolean): string {
  const centres = columnCentres(call, (t) => [...t].length, 8, 16);
  const width = (centres[centres.length - 1] ?? 0) + 1 + Math.ceil(Math.max(0, ...hostLines(call, call.hosts.length - 1).map((t) => t.length)) / 2);
  const lines: string[] = [];
  const head = `Call ${index + 1} of ${count}: ${call.title}`;
  lines.push(color ? `${BOLD}${head}${RESET}` : head, `Call-ID ${call.callId}`, '');
  for (const row of [0, 1] as const) {
    const cells = blank(width);
    call.hosts.forEach((_, i) => put(cells, (centres[i] ?? 0) - Math.floor([...hostLines(call, i)[row]].length / 2), hostLines(call, i)[row]));
    lines.push(`${' '.repeat(TIME_WIDTH)}${cells.join('').trimEnd()}`);
  }
  const lifelines = blank(width);
  for (const c of centres) lifelines[c] = '│';
  lines.push(`${' '.repeat(TIME_WIDTH)}${lifelines.join('').trimEnd()}`);
  for (const arrow of call.arrows) lines.push(arrowLine(arrow, centres, width, color));
  if (call.omittedArrows > 0) lines.push(`${' '.repeat(TIME_WIDTH)}… ${call.omittedArrows} more message${call.omittedArrows === 1 ? '' : 's'} in this call not shown`);
  return lines.join('\n');
}

function arrowLine(arrow: LadderArrow, centres: readonly number[], width: number, color: boolean): string {
  const cells = blank(width);
  for (const c of centres) cells[c] = '│';
  const a = centres[arrow.from] ?? 0;
  const b = centres[arrow.to] ?? 0;
  const fill = arrow.highlight !== undefined ? '═' : arrow.retransmission ? '┄' : '─';
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  if (lo === hi) {
    put(cells, lo + 1, `↺ ${arrow.label}`);
  } else {
    for (let x = lo + 1; x < hi; x++) cells[x] = fill;
    if (a < b) cells[hi - 1] = '>';
    else cells[lo + 1] = '<';
    const label = ` ${arrow.label} `;
    put(cells, lo + Math.max(1, Math.floor((hi - lo - [...label].length) / 2) + 1), label);
  }
  const notes = [arrow.retransmission ? 'retransmission' : '', arrow.highlight === undefined ? '' : `✖ ${HIGHLIGHT_TEXT[arrow.highlight]}`].filter((n) => n !== '');
  const text = `${offsetText(arrow).padStart(TIME_WIDTH - 2)}  ${cells.join('').trimEnd()}${notes.length === 0 ? '' : `  ${notes.join(', ')}`}`;
  if (!color) return text;
  if (arrow.highlight !== undefined) return `${RED}${text}${RESET}`;
  return arrow.retransmission ? `${DIM}${text}${RESET}` : text;
}

function blank(width: number): string[] {
  return new Array<string>(width).fill(' ');
}

function put(cells: string[], at: number, text: string): void {
  let i = Math.max(0, at);
  for (const ch of text) {
    if (i >= cells.length) cells.push(ch);
    else cells[i] = ch;
    i++;
  }
}
