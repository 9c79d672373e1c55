import { MIN_WRAP_COLUMN, START } from './shapes.js';

/**
 * The repair stage's fast path: one pass over the paste, with no line splitting and no per-line regex, that
 * proves the full repair (repair-paste.ts) would change nothing. It answers false (let the full repair look)
 * as soon as it meets a line the full repair could act on:
 * - a line ending in "SIP/2.0" that is not itself a start line, or a line that is a tail of "SIP/2.0" ("0",
 *   "/2.0"…): the last piece of a start line cut by wrapping;
 * - a blank line right after a start line (also one after a log's prefix): the doubled spacing pjsua prints;
 * - inside a header block, a line that is neither "Name: value" (a space or tab after the colon) nor folded,
 *   under a line at least MIN_WRAP_COLUMN long or ending in a blank: the rest of a wrapped header.
 * Anything else the full repair leaves alone, so a clean trace costs one scan. test/core/trace/repair holds
 * this fast path to the full repair on clean, wrapped and doubled messages.
 */
export function provablyClean(input: string): boolean {
  const n = input.length;
  let inBlock = false;
  let afterStart = false;
  let aboveLength = 0;
  let aboveEndsBlank = false;
  // Where the next "SIP/2.0 " is, moved on only when passed, so finding one inside a line costs one scan in all.
  let nextStatus = input.indexOf('SIP/2.0 ');
  for (let pos = 0; pos <= n; ) {
    let end = input.indexOf('\n', pos);
    if (end === -1) end = n;
    const stop = end > pos && input.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const length = stop - pos;
    const blank = isBlank(input, pos, stop);
    if (afterStart && blank) return false;
    afterStart = false;
    if (nextStatus !== -1 && nextStatus < pos) nextStatus = input.indexOf('SIP/2.0 ', pos);
    if (isStart(input, pos, stop)) {
      inBlock = true;
      afterStart = true;
    } else {
      // A status line after a log's prefix, followed by a blank line: doubled spacing the full repair handles.
      if (nextStatus !== -1 && nextStatus < stop) afterStart = true;
      if (endsAsVersionTail(input, pos, stop)) return false;
      if (inBlock) {
        const c0 = input.charCodeAt(pos);
        if (blank) inBlock = false;
        else if (c0 !== 0x20 && c0 !== 0x09 && !isSpacedHeader(input, pos, stop)) {
          if (aboveLength >= MIN_WRAP_COLUMN || aboveEndsBlank) return false;
          // A header with no space after its colon ("l:0") stays in the block; anything else ends it.
          if (!isHeaderStart(input, pos, stop)) inBlock = false;
        }
      }
    }
    aboveLength = length;
    aboveEndsBlank = length > 0 && (input.charCodeAt(stop - 1) === 0x20 || input.charCodeAt(stop - 1) === 0x09);
    pos = end + 1;
  }
  return true;
}

const VERSION = 'SIP/2.0';

function isStart(s: string, from: number, to: number): boolean {
  const startsStatus = s.startsWith('SIP/2.0 ', from);
  if (!startsStatus && !endsWithAt(s, to, VERSION)) return false;
  return START.test(s.slice(from, to));
}

// The end of a start line that wrapping could have cut off (repair-paste.ts's wrappedStartLine): a lone
// "SIP/2.0" (the version a mail client moved to its own line), or a piece with no leading space that ends in
// "SIP/2.0" without being a start line itself, or is a proper tail of it ("0", "/2.0").
function endsAsVersionTail(s: string, from: number, to: number): boolean {
  if (to === from) return false;
  if (s.charCodeAt(to - 1) !== 0x30 || s.charCodeAt(from) === 0x20) return loneVersion(s, from, to); // '0'
  if (endsWithAt(s, to, VERSION)) return true; // not a start line: isStart was asked first
  return to - from < VERSION.length && VERSION.endsWith(s.slice(from, to));
}

// "SIP/2.0" alone on its line, blanks around it allowed.
function loneVersion(s: string, from: number, to: number): boolean {
  let a = from;
  while (a < to && isBlankChar(s.charCodeAt(a))) a++;
  if (a === to || s.charCodeAt(a) !== 0x53 || !s.startsWith(VERSION, a)) return false; // 'S'
  return s.slice(a + VERSION.length, to).trim() === '';
}

function isBlankChar(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x0b || c === 0x0c || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x2028 || c === 0x2029 || c === 0x0d;
}

function endsWithAt(s: string, to: number, suffix: string): boolean {
  return to >= suffix.length && s.startsWith(suffix, to - suffix.length);
}

// Blank as String.prototype.trim sees it, checked without a copy for the usual lines.
function isBlank(s: string, from: number, to: number): boolean {
  if (from === to) return true;
  const c0 = s.charCodeAt(from);
  if (c0 > 0x20 && c0 < 0x7f) return false;
  return s.slice(from, to).trim() === '';
}

// RFC 3261 §7.3.1 token characters of a header name, as repair-paste.ts's HEADER reads them.
function isNameChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e || c === 0x2d
  );
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// Index of the colon of "Name :" at the start of the line, or -1.
function colonAt(s: string, from: number, to: number): number {
  if (from >= to || !isLetter(s.charCodeAt(from))) return -1;
  let i = from + 1;
  while (i < to && isNameChar(s.charCodeAt(i))) i++;
  while (i < to && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  return i < to && s.charCodeAt(i) === 0x3a ? i : -1;
}

function isSpacedHeader(s: string, from: number, to: number): boolean {
  const colon = colonAt(s, from, to);
  if (colon === -1 || colon + 1 >= to) return false;
  const c = s.charCodeAt(colon + 1);
  return c === 0x20 || c === 0x09;
}

// Any "Name:" start (a superset of repair-paste.ts's isHeader, which also refuses "sip:…"): erring towards
// staying in the block only makes the scan look at more lines.
function isHeaderStart(s: string, from: number, to: number): boolean {
  return colonAt(s, from, to) !== -1;
}
