import type { Problem } from '../result.js';
import { headerName } from './header-names.js';
import type { SipHeader } from './message.js';

// A binary or control character in the header section (TAB, CR and LF are legitimate).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;
const SINGLE_VALUED = new Set(['call-id', 'cseq', 'from', 'to', 'max-forwards', 'content-type']);

export interface HeaderScan {
  readonly headers: readonly SipHeader[];
  readonly problems: readonly Problem[];
}

/**
 * Splits a header block into headers (RFC 3261 §7.3): one per line, names through the compact-form table,
 * values trimmed, continuation lines (§7.3.1 folding) joined with a space. `from`/`to` bound the block in
 * `text`; `line` is the 1-based line number of its first line. Lines it cannot read are reported, not thrown.
 */
export function scanHeaders(text: string, from: number, to: number, line: number): HeaderScan {
  const headers: SipHeader[] = [];
  const problems: Problem[] = [];
  let folds: string[] | undefined;
  let pos = from;
  let n = line;
  while (pos < to) {
    let next = text.indexOf('\n', pos);
    if (next === -1 || next > to) next = to;
    const end = next > pos && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next;
    const raw = text.slice(pos, end);
    const c0 = raw.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      // Parts are joined once when the header ends, so a header folded n times costs O(n), not O(n²).
      if (headers.length > 0) (folds ??= []).push(raw.trim());
      else problems.push({ code: 'fold-without-header', message: 'continuation line before any header', line: n });
    } else if (raw.length > 0) {
      if (folds !== undefined) {
        unfold(headers, folds);
        folds = undefined;
      }
      const colon = raw.indexOf(':');
      if (colon <= 0) {
        problems.push({ code: 'header-syntax', message: `not a header line: ${preview(raw)}`, line: n });
      } else {
        let rawName = raw.slice(0, colon);
        // "Call-ID  :" is legal (HCOLON allows whitespace before the colon, §25.1).
        const last = rawName.charCodeAt(rawName.length - 1);
        if (last === 0x20 || last === 0x09) rawName = rawName.trimEnd();
        const { name, key } = headerName(rawName);
        headers.push({ name, key, value: raw.slice(colon + 1).trim(), line: n });
      }
    }
    pos = next + 1;
    n++;
  }
  if (folds !== undefined) unfold(headers, folds);
  // One scan of the whole block for binary junk; only when it finds some are lines looked at.
  if (CONTROL.test(text.slice(from, to))) {
    for (const h of headers) {
      if (hasBareControl(h.value)) problems.push({ code: 'binary', message: `binary or control characters in ${h.name}`, line: h.line });
    }
  }
  let singles: Set<string> | undefined;
  for (const h of headers) {
    if (!SINGLE_VALUED.has(h.key)) continue;
    // §7.3.1: these may appear once; RFC 4475 multi01 shows what a broken stack sends.
    if ((singles ??= new Set()).has(h.key)) problems.push({ code: 'duplicate-header', message: `${h.name} appears more than once`, line: h.line });
    singles.add(h.key);
  }
  return { headers, problems };
}

function unfold(headers: SipHeader[], parts: readonly string[]): void {
  const last = headers[headers.length - 1];
  if (last === undefined) return;
  headers[headers.length - 1] = { ...last, value: [last.value, ...parts].filter((p) => p !== '').join(' ') };
}

// A control character escaped as a quoted-pair ("\^G" inside a display name, RFC 4475 intmeth) is legal.
function hasBareControl(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const control = (c < 0x20 && c !== 0x09) || c === 0x7f || c === 0xfffd;
    if (control && raw.charCodeAt(i - 1) !== 0x5c) return true;
  }
  return false;
}

export function preview(s: string): string {
  const t = s.length > 60 ? `${s.slice(0, 60)}…` : s;
  // eslint-disable-next-line no-control-regex
  return t.replace(/[\x00-\x1f\x7f]/g, '?');
}
