/** Line shapes both the full repair (repair-paste.ts) and its fast path (clean-scan.ts) must agree on. */

/** A line shorter than this is never taken as cut at a wrap column (terminals and mail wrap at 72–80 or more). */
export const MIN_WRAP_COLUMN = 40;

/** A start line: a status line, or "METHOD URI SIP/2.0" (RFC 3261 §7.1) with any token method. */
export const START = /^(?:SIP\/2\.0 [1-9]\d\d\b|[A-Za-z0-9.!%*_+`'~-]+ \S+ SIP\/2\.0$)/;

export function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
