import type { Problem } from '../result.js';
import type { MessageMeta, SipMessage } from '../sip/message.js';
import { parseSipMessage } from '../sip/parse-message.js';
import { frameMeta } from './frame-meta.js';

// A request line at the start of a line: any token method (RFC 4475 intmeth), any URI scheme.
const REQUEST_AT_START = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/;
// Inside a log line, after the log's own prefix: upper-case methods only, to keep prose from matching.
// Binary junk (a capture's bytes, a NUL run) glued before a start line separates it like a log's prefix does.
const REQUEST_IN_LINE = /(?:^|[\s:>\]|"'\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\uFFFD])([A-Z][A-Z_-]{2,}) ((?:sips?|tel|urn|mailto|im|pres):\S+) SIP\/2\.0$/;
const STATUS_IN_LINE = /(?:^|[\s:>\]|"'\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\uFFFD])(SIP\/2\.0 [1-9]\d\d(?: .*)?)$/;
// Control characters no log prints (ESC is left out: coloured logs), and what invalid UTF-8 decodes to.
const BINARY = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\uFFFD]/g;
const HAS_BINARY = new RegExp(BINARY.source);
const STATUS_GLUED = /SIP\/2\.0 [1-9]\d\d(?: |$)/;
const HEADER = /^[A-Za-z0-9!%*_+`'~.-]+[ \t]*:/;
const SDP_LINE = /^[a-z]=/;
// How many log lines before a message may describe it (timestamp line, direction line, separator).
const FRAME_LOOKBACK = 4;
const MAX_HEADER_LINES = 500;

export interface ScanResult {
  readonly messages: SipMessage[];
  readonly problems: Problem[];
}

interface Line {
  readonly text: string;
  readonly no: number;
}

/**
 * Finds SIP messages printed verbatim inside any log: raw pastes, ngrep, sngrep, SIPp, Asterisk,
 * FreeSWITCH, Kamailio, Cisco. A start line (possibly after a log prefix) opens a message; header lines
 * follow until a blank line; the body is taken by Content-Length, or as SDP lines when there is none.
 * The log lines just before each message give its time and addresses.
 */
export function scanLog(text: string, format: string): ScanResult {
  const raw = text.split('\n');
  const messages: SipMessage[] = [];
  const problems: Problem[] = [];
  const junk = new JunkRuns();
  let frame: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const line = stripCr(raw[i] ?? '');
    const start = findStartLine(line);
    junk.note(i + 1, start === undefined ? line : line.slice(0, start));
    if (start === undefined) {
      if (line.trim() !== '') frame.push(line);
      if (frame.length > FRAME_LOOKBACK) frame = frame.slice(-FRAME_LOOKBACK);
      i++;
      continue;
    }
    // ngrep -W byline shows each CR as a trailing '.'; a message whose start line ends so uses it throughout.
    const dotted = format === 'ngrep' && line.endsWith('.');
    // A log that indents the whole message (FreeSWITCH's siptrace indents by three spaces) is read without
    // that indent, so that folded header lines stay distinguishable from ordinary ones.
    const indent = /^[ \t]*$/.test(line.slice(0, start)) ? line.slice(0, start) : '';
    const clean = (s: string): string => {
      const t = indent !== '' && s.startsWith(indent) ? s.slice(indent.length) : s;
      return dotted && t.endsWith('.') ? t.slice(0, -1) : t;
    };
    const firstNo = i + 1;
    const head: Line[] = [{ text: clean(line.slice(start)), no: firstNo }];
    let j = i + 1;
    let sawBlank = false;
    while (j < raw.length && head.length < MAX_HEADER_LINES) {
      const l = clean(stripCr(raw[j] ?? ''));
      if (l.trim() === '') {
        sawBlank = true;
        j++;
        break;
      }
      if (findStartLine(l) !== undefined) break;
      if (HEADER.test(l) || ((l.startsWith(' ') || l.startsWith('\t')) && head.length > 1)) {
        head.push({ text: l, no: j + 1 });
        j++;
        continue;
      }
      break;
    }
    const declared = contentLength(head);
    const body: string[] = [];
    if (sawBlank && declared !== undefined && declared > 0) {
      let bytes = 0;
      while (j < raw.length && bytes < declared) {
        const l = clean(stripCr(raw[j] ?? ''));
        if (findStartLine(l) !== undefined) break;
        body.push(l);
        bytes += Buffer.byteLength(l, 'utf8') + 2;
        j++;
      }
    } else if (sawBlank && declared === undefined) {
      while (j < raw.length) {
        const l = clean(stripCr(raw[j] ?? ''));
        if (!SDP_LINE.test(l)) break;
        body.push(l);
        j++;
      }
    }
    const messageText = `${head.map((h) => h.text).join('\r\n')}\r\n\r\n${body.length === 0 ? '' : `${body.join('\r\n')}\r\n`}`;
    const meta: MessageMeta = { ...frameMeta(frame), format };
    const parsed = parseSipMessage(messageText, { lineOffset: firstNo - 1, meta });
    if (parsed.ok) messages.push(parsed.message);
    for (const p of parsed.problems) problems.push(p);
    frame = [];
    i = Math.max(j, i + 1);
  }
  // With no message at all, readTrace says the whole input looks binary; junk is only news between messages.
  if (messages.length > 0) problems.push(...junk.problems());
  return { messages, problems };
}

/** Runs of lines holding binary junk outside the messages, each reported once as one problem. */
class JunkRuns {
  readonly #runs: { from: number; to: number; chars: number }[] = [];

  /** `text` is what of line `no` is not a message (the whole line, or what precedes a start line). */
  note(no: number, text: string): void {
    const chars = text.match(BINARY)?.length ?? 0;
    if (chars === 0) return;
    const last = this.#runs.at(-1);
    if (last !== undefined && last.to >= no - 1) {
      last.to = no;
      last.chars += chars;
    } else this.#runs.push({ from: no, to: no, chars });
  }

  problems(): Problem[] {
    return this.#runs.map((r) => ({
      code: 'binary-junk',
      line: r.from,
      message: `binary data${r.from === r.to ? '' : ` over ${r.to - r.from + 1} lines`} (${r.chars} unprintable characters) between the SIP messages, skipped`,
    }));
  }
}

/** The column where a SIP start line begins in this line, or undefined. */
export function findStartLine(line: string): number | undefined {
  if (line.length < 12 || !line.includes('SIP/2.0')) return undefined;
  if (REQUEST_AT_START.test(line.endsWith('.') ? line.slice(0, -1) : line)) return 0;
  if (line.startsWith('SIP/2.0 ') && /^SIP\/2\.0 [1-9]\d\d\b/.test(line)) return 0;
  const trimmed = line.endsWith('.') ? line.slice(0, -1) : line;
  let m = REQUEST_IN_LINE.exec(trimmed);
  // Anchored at the end, so the start line begins its own length before the end: "METHOD URI SIP/2.0".
  if (m) return trimmed.length - ((m[1]?.length ?? 0) + (m[2]?.length ?? 0) + ' SIP/2.0 '.length);
  m = STATUS_IN_LINE.exec(line);
  if (m) return line.length - (m[1]?.length ?? 0);
  // After binary junk, a status line is found whatever byte it is glued to ("IHDRSIP/2.0 503"): no log
  // prints one so. (A request's method cannot be told from junk letters before it, so requests need a break.)
  if (HAS_BINARY.test(line)) {
    const at = line.search(STATUS_GLUED);
    if (at !== -1) return at;
  }
  return undefined;
}

function contentLength(head: readonly Line[]): number | undefined {
  for (const h of head) {
    const m = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(h.text);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
