/**
 * One light pass over a header block, as framing needs it: where the block ends (the first empty or
 * whitespace-only line), every Content-Length value, and the first Call-ID and CSeq values. Nothing is
 * split or allocated per line except the values it returns, so counting traffic stays cheap; the full
 * header split (scan-headers.ts) happens only when someone reads other headers.
 */
export interface HeaderFrame {
  /** Index of the '\n' ending the last header line (or the start line when there are no headers). */
  readonly to: number;
  /** Index of the body, or -1 when the text ends inside the header block. */
  readonly bodyStart: number;
  readonly contentLengths: readonly string[];
  /** First values; undefined when absent or folded (the full scan then reads them). */
  readonly callId: string | undefined;
  readonly cseq: string | undefined;
  /** Number of header lines, for pointing at the separator line. */
  readonly lines: number;
}

export function frameHeaders(text: string, from: number): HeaderFrame {
  const lengths: string[] = [];
  let callId: string | undefined;
  let cseq: string | undefined;
  let callIdSeen = false;
  let cseqSeen = false;
  let lines = 0;
  let pos = from;
  while (pos < text.length) {
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    const end = next > pos && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next;
    const c0 = text.charCodeAt(pos);
    if (end === pos || ((c0 === 0x20 || c0 === 0x09) && isBlank(text, pos, end))) {
      return { to: pos - 1, bodyStart: next + 1 > text.length ? text.length : next + 1, contentLengths: lengths, callId, cseq, lines };
    }
    lines++;
    if (c0 !== 0x20 && c0 !== 0x09) {
      const colon = text.indexOf(':', pos);
      if (colon !== -1 && colon < end) {
        let nameEnd = colon;
        while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
        const kind = classify(text, pos, nameEnd - pos);
        if (kind !== 0) {
          const folded = next + 1 < text.length && (text.charCodeAt(next + 1) === 0x20 || text.charCodeAt(next + 1) === 0x09);
          const value = text.slice(colon + 1, end).trim();
          if (kind === LENGTH) lengths.push(folded ? `${value} ${foldedRest(text, next + 1)}`.trim() : value);
          else if (kind === CALL_ID && !callIdSeen) {
            callIdSeen = true;
            callId = folded ? undefined : value;
          } else if (kind === CSEQ && !cseqSeen) {
            cseqSeen = true;
            cseq = folded ? undefined : value;
          }
        }
      }
    }
    pos = next + 1;
  }
  return { to: text.length, bodyStart: -1, contentLengths: lengths, callId, cseq, lines };
}

const LENGTH = 1;
const CALL_ID = 2;
const CSEQ = 3;

// Header names compared case-insensitively (RFC 3261 §7.3.1), compact forms included (§7.3.3).
function classify(text: string, at: number, length: number): number {
  switch (length) {
    case 1: {
      const c = text.charCodeAt(at) | 0x20;
      return c === 0x6c /* l */ ? LENGTH : c === 0x69 /* i */ ? CALL_ID : 0;
    }
    case 4:
      return matches(text, at, 'cseq') ? CSEQ : 0;
    case 7:
      return matches(text, at, 'call-id') ? CALL_ID : 0;
    case 14:
      return matches(text, at, 'content-length') ? LENGTH : 0;
    default:
      return 0;
  }
}

// Lower-case comparison by OR-ing 0x20: exact for letters, and '-' already has that bit set.
function matches(text: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(at + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

// The joined continuation lines of a folded Content-Length (rare, but framing must not misread it).
function foldedRest(text: string, from: number): string {
  const parts: string[] = [];
  let pos = from;
  while (pos < text.length && (text.charCodeAt(pos) === 0x20 || text.charCodeAt(pos) === 0x09)) {
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    parts.push(text.slice(pos, next).trim());
    pos = next + 1;
  }
  return parts.join(' ');
}
