import { isKnownHeader } from '../../sip/header-names.js';
import { provablyClean } from './clean-scan.js';
import { MIN_WRAP_COLUMN, START, stripCr } from './shapes.js';
import { mayHaveEscapedBreaks, unescapeBreaks } from './unescape-breaks.js';

/**
 * The repair stage before parsing: undoes what terminals, mail clients and web pages do to a pasted SIP
 * message, and records each guess so the user can see it.
 * - Hard-wrapped lines: a line inside a header block that cannot start a header or a message continues the
 *   one above it, cut at the wrap column without the leading whitespace RFC 3261 §7.3.1 folding would have.
 *   Only a line at least MIN_WRAP_COLUMN long is taken as wrapped, so short log lines after a block stay.
 * - Doubled line spacing (pjsua, some web pages): a blank line between every header, when that pattern
 *   holds from the start line on; a run of two or more blank lines is then the end of the headers.
 * A clean trace comes back unchanged (same string, no repairs): test/core/trace/repair holds that for every
 * fixture, and bench/parse.ts measures what the check costs.
 */
export interface Repair {
  /** 1-based line of the input the repair was made at. */
  readonly line: number;
  readonly what: 'joined-wrapped-line' | 'removed-doubled-spacing' | 'split-escaped-line-breaks';
}

export interface RepairedText {
  readonly text: string;
  readonly repairs: readonly Repair[];
}

export { MIN_WRAP_COLUMN };
// A request line whose " SIP/2.0" went to the next line ("INVITE sip:bob@example.com" / "SIP/2.0").
// Also after a log's prefix ("…WebSocket message: INVITE sip:…"), with the blank the line broke at.
const REQUEST_HEAD = /(?:^|[\s:>\]|"'])[A-Z][A-Z_-]{2,} (?:sips?|tel|urn):\S*[ \t]*$/;
const STATUS_IN_LINE = /(?:^|[\s:>\]|"'])SIP\/2\.0 [1-9]\d\d\b/;
const START_IN_LINE = /(?:^|[\s:>\]|"'])[A-Z][A-Z_-]{2,} (?:sips?|tel|urn):\S+ SIP\/2\.0$/;
const HEADER = /^([A-Za-z][A-Za-z0-9!%*_+`'~-]*)[ \t]*:(.?)/;
const URI_SCHEMES = new Set(['sip', 'sips', 'tel', 'urn', 'http', 'https', 'mailto', 'im', 'pres']);
// Lines that a log prints after a message: never the second half of a wrapped header.
const LOG_LINE = /^(?:<-{2,}|-{2,}|={2,}|\[\d|#|```|\*\*|\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d)/;

export function repairPaste(input: string): RepairedText {
  // Cheap gates: with no start line there is no header block to repair, and one scan proves most clean traces
  // need nothing (clean-scan.ts), so only a paste with a candidate wrapped or doubled line pays for the rest.
  if (!input.includes('SIP/2.0')) return { text: input, repairs: [] };
  const escaped = mayHaveEscapedBreaks(input);
  if (!escaped && provablyClean(input)) return { text: input, repairs: [] };
  return repairLines(input, escaped);
}

/** The full repair, line by line (exported so tests can hold the fast path to it). */
export function repairLines(input: string, escaped = mayHaveEscapedBreaks(input)): RepairedText {
  const repairs: Repair[] = [];
  let lines = input.split('\n');
  let changed = false;
  const unescaped = escaped ? unescapeBreaks(lines) : undefined;
  if (unescaped !== undefined) {
    // Later repairs count lines of the split text, as the parser that reads it does.
    for (const at of unescaped.split) repairs.push({ line: at + 1, what: 'split-escaped-line-breaks' });
    lines = [...unescaped.lines];
    changed = true;
  }
  const out: string[] = [];
  const widths = new Widths(lines);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const next = lines[i + 1];
    const bare = stripCr(line);
    const joined = next === undefined || START.test(bare) ? undefined : wrappedStartLine(lines, i);
    if (joined !== undefined) {
      out.push(line.endsWith('\r') ? `${joined.text}\r` : joined.text);
      for (let k = 1; k < joined.lines; k++) repairs.push({ line: i + 1 + k, what: 'joined-wrapped-line' });
      changed = true;
      i = readBlock(lines, i + joined.lines, out, repairs, widths);
      continue;
    }
    out.push(line);
    i++;
    // A status line after a log's prefix ('"SEND: SIP/2.0 481 …' in a browser console) opens a block only for
    // doubled spacing, the one repair the log scanner cannot do without: it reads such a block's headers itself.
    if (START.test(bare) || (STATUS_IN_LINE.test(bare) && isDoubled(lines, i))) {
      const before = repairs.length;
      i = readBlock(lines, i, out, repairs, widths);
      if (repairs.length > before) changed = true;
    }
  }
  return changed ? { text: out.join('\n'), repairs } : { text: input, repairs: [] };
}

// A start line cut by wrapping: at the wrap column, possibly more than once ("… SIP/2." / "0"), or before
// its version ("INVITE sip:…" / "SIP/2.0", as mail clients break at a space). Returns it whole and how many
// input lines it took.
function wrappedStartLine(lines: readonly string[], at: number): { text: string; lines: number } | undefined {
  const first = stripCr(lines[at] ?? '');
  const second = stripCr(lines[at + 1] ?? '');
  if (REQUEST_HEAD.test(first) && second.trim() === 'SIP/2.0') return { text: `${first.trimEnd()} SIP/2.0`, lines: 2 };
  const words = wordWrappedStartLine(lines, at);
  if (words !== undefined) return words;
  if (first.length < MIN_WRAP_COLUMN || !first.includes(' ') || !/^[A-Z]/.test(first)) return undefined;
  let whole = first;
  for (let k = 1; k <= 8; k++) {
    const piece = stripCr(lines[at + k] ?? '');
    if (piece.length === 0) return undefined;
    whole += piece;
    if (START.test(whole)) return { text: whole, lines: k + 1 };
    // A piece may start with a space only when the cut fell just before " SIP/2.0" (it ends the line above).
    if (piece.startsWith(' ')) return undefined;
    // Every piece but the last is exactly as wide as the first: that is what a wrap column does.
    if (piece.length !== first.length) return undefined;
  }
  return undefined;
}

// A start line broken at its blanks by a word-wrapping client ("INVITE " / "sip:bob@… " / "SIP/2.0"), possibly
// after a log's prefix, and a word too long for the line cut where it reached the column: every piece but the
// last ends with the blank it broke at or is at least MIN_WRAP_COLUMN long. A piece that is a start line by
// itself (or holds one after a log's prefix) is not a piece: the line above is a log line of its own.
function wordWrappedStartLine(lines: readonly string[], at: number): { text: string; lines: number } | undefined {
  let whole = stripCr(lines[at] ?? '');
  let last = whole;
  for (let k = 1; k <= 3; k++) {
    if (!last.endsWith(' ') && last.length < MIN_WRAP_COLUMN) return undefined;
    const piece = stripCr(lines[at + k] ?? '');
    if (piece.length === 0 || START.test(piece) || START_IN_LINE.test(piece)) return undefined;
    // Only the version can follow a cut with its blank first (" SIP/2.0"); any other indented line is a log's.
    if ((piece.startsWith(' ') || piece.startsWith('\t')) && piece !== ' SIP/2.0') return undefined;
    whole += piece;
    if (START.test(whole) || START_IN_LINE.test(whole)) return { text: whole, lines: k + 1 };
    last = piece;
  }
  return undefined;
}

// Copies one header block (the start line is already in `out`), repairing as it goes; returns the index of
// the first line after the block.
function readBlock(lines: readonly string[], from: number, out: string[], repairs: Repair[], widths: Widths): number {
  const doubled = isDoubled(lines, from);
  let i = from;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const bare = stripCr(line);
    if (bare.trim() === '') {
      if (!doubled) return i;
      // Doubled spacing: one blank line between headers is spacing; two or more end the block.
      let j = i;
      while (j < lines.length && stripCr(lines[j] ?? '').trim() === '') j++;
      if (j - i >= 2 || j >= lines.length || !isHeaderish(stripCr(lines[j] ?? ''))) {
        out.push(line);
        return j - i >= 2 ? j : i + 1;
      }
      repairs.push({ line: i + 1, what: 'removed-doubled-spacing' });
      i = j;
      continue;
    }
    if (START.test(bare)) return i;
    const prev = out[out.length - 1];
    // The line above as pasted (not as already joined): its width is what tells a wrap column.
    const above = stripCr(lines[i - 1] ?? '');
    if (prev !== undefined && isWrapped(above.trim() === '' ? stripCr(prev) : above, bare, widths)) {
      out[out.length - 1] = joinLines(prev, line);
      repairs.push({ line: i + 1, what: 'joined-wrapped-line' });
      i++;
      continue;
    }
    if (!isHeaderish(bare)) return i;
    out.push(line);
    i++;
  }
  return i;
}

// pjsua's doubled output: start line, blank, header, blank, header … for at least two headers.
function isDoubled(lines: readonly string[], from: number): boolean {
  const at = (k: number): string => stripCr(lines[from + k] ?? '');
  return at(0).trim() === '' && isHeader(at(1)) && at(2).trim() === '' && isHeader(at(3));
}

function isHeaderish(line: string): boolean {
  return isHeader(line) || line.startsWith(' ') || line.startsWith('\t');
}

/** A line that starts a header: a token, a colon, and not a URI ("sip:bob@…" cut from a Contact). */
export function isHeader(line: string): boolean {
  const m = HEADER.exec(line);
  if (m === null) return false;
  const name = (m[1] ?? '').toLowerCase();
  return !(URI_SCHEMES.has(name) && m[2] !== ' ' && m[2] !== '\t');
}

function isWrapped(prev: string, line: string, widths: Widths): boolean {
  if (isWordWrapped(prev, line, widths)) return true;
  if (prev.length < MIN_WRAP_COLUMN || prev.trim() === '') return false;
  const c0 = line.charCodeAt(0);
  if (c0 === 0x20 || c0 === 0x09) return false; // RFC 3261 §7.3.1 folding: the parser joins it
  if (LOG_LINE.test(line)) return false;
  const m = HEADER.exec(line);
  if (m === null) return true;
  // After a line long enough to have been cut, "n:uuid:…" or "X-Foo:bar" is more likely the rest of a value
  // than a compact-form or unknown header: those are accepted only with the usual space after the colon.
  const name = m[1] ?? '';
  const spaced = m[2] === ' ' || m[2] === '\t';
  if (spaced) return false;
  if (URI_SCHEMES.has(name.toLowerCase())) return true;
  // "L:0" and "i:abc" are legal (RFC 4475 regescrt): only a fixed wrap column, seen on another line of
  // exactly this length, makes such a line the rest of the one above.
  if (name.length === 1 || !isKnownHeader(name)) return widths.count(prev.length) >= 2;
  // A cut can also leave a fragment shaped like a known header with no space ("to:voip;pn-param=…", the tail of
  // a push token): it continues the line above when that line sits at the paste's wrap column, the widest line
  // of the paste and not the only one so wide.
  return widths.count(prev.length) >= 2 && widths.widest() === prev.length;
}

// A mail client or web export that wraps at word boundaries leaves the blank it broke at on the line above
// ("Via: SIP/2.0/WS " / "df7jal23ls0d.invalid;branch=…"), so that line can be short: it was broken there
// because the next word would not have fitted within the paste's widest line.
function isWordWrapped(prev: string, line: string, widths: Widths): boolean {
  const last = prev.charCodeAt(prev.length - 1);
  if ((last !== 0x20 && last !== 0x09) || prev.trim() === '') return false;
  const c0 = line.charCodeAt(0);
  if (Number.isNaN(c0) || c0 === 0x20 || c0 === 0x09 || LOG_LINE.test(line) || isHeader(line)) return false;
  const word = line.split(/[ \t]/, 1)[0] ?? '';
  return prev.trimEnd().length + 1 + word.length > widths.widest();
}

// Joins a wrapped line to the one above, keeping the line ending of the second.
function joinLines(first: string, second: string): string {
  return `${stripCr(first)}${second}`;
}

/** How many lines of the paste have each length, counted on first use (only ambiguous lines ask). */
class Widths {
  readonly #lines: readonly string[];
  #counts: Map<number, number> | undefined;

  constructor(lines: readonly string[]) {
    this.#lines = lines;
  }

  #widest = 0;

  count(width: number): number {
    return this.#measure().get(width) ?? 0;
  }

  widest(): number {
    this.#measure();
    return this.#widest;
  }

  #measure(): Map<number, number> {
    if (this.#counts === undefined) {
      this.#counts = new Map();
      for (const l of this.#lines) {
        const n = stripCr(l).length;
        if (n >= MIN_WRAP_COLUMN) this.#counts.set(n, (this.#counts.get(n) ?? 0) + 1);
        if (n > this.#widest) this.#widest = n;
      }
    }
    return this.#counts;
  }
}
