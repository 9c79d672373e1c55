import type { Problem } from '../result.js';
import { MAX_CSEQ, parseCSeq } from './cseq.js';
import { frameHeaders } from './frame-headers.js';
import { SipMessage, type MessageMeta, type StartLine } from './message.js';
import { preview } from './scan-headers.js';

export interface ParseOptions {
  /** Added to line numbers so problems point into the whole paste, not the message. */
  readonly lineOffset?: number;
  /** Messages longer than this (in characters) are refused as too large. */
  readonly maxLength?: number;
  readonly meta?: MessageMeta;
}

export type ParseOutcome =
  | { readonly ok: true; readonly message: SipMessage; readonly problems: readonly Problem[]; readonly consumed: number }
  | { readonly ok: false; readonly problems: readonly Problem[]; readonly consumed: number };

export const DEFAULT_MAX_MESSAGE_LENGTH = 2 * 1024 * 1024;

// RFC 3261 §25.1 token characters, for the method.
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

/**
 * Parses one SIP message from the start of `text` (RFC 3261 §7), staged: skip leading blank lines (§7.5),
 * the start line, the header block up to the first empty line, then a body framed by Content-Length
 * (§20.14) or, without one, the rest of the text (§18.3, datagram semantics).
 *
 * Framing is eager; splitting the header block into headers (scan-headers.ts) happens on first use, and so
 * do the checks that need it (`problems`). Reading the start line, Call-ID and CSeq of a message costs no
 * header split, which is what counting live traffic needs. Lenient by design: whatever can be read is
 * returned with problems noted; only a missing start line is fatal. Never throws.
 */
export function parseSipMessage(text: string, options: ParseOptions = {}): ParseOutcome {
  const lineOffset = options.lineOffset ?? 0;
  const maxLength = options.maxLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  if (text.length > maxLength) {
    return {
      ok: false,
      problems: [{ code: 'too-large', message: `message is ${text.length} characters, over the ${maxLength} limit`, line: lineOffset + 1 }],
      consumed: text.length,
    };
  }
  const framing: Problem[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const ch = text.charCodeAt(pos);
    if (ch === 0x0a) line++;
    else if (ch !== 0x0d && ch !== 0x20 && ch !== 0x09) break;
    pos++;
  }
  const startLine = lineOffset + line;
  let eol = text.indexOf('\n', pos);
  if (eol === -1) eol = text.length;
  const start = parseStartLine(stripCr(text.slice(pos, eol)), framing, startLine);
  if (start === undefined) return { ok: false, problems: framing, consumed: eol === text.length ? eol : eol + 1 };

  const messageStart = pos;
  const headersFrom = Math.min(eol + 1, text.length);
  const frame = eol < text.length ? frameHeaders(text, headersFrom) : { to: text.length, bodyStart: -1, contentLengths: [], callId: undefined, cseq: undefined, lines: 0 };
  const headersTo = Math.max(frame.to, headersFrom);
  const bodyStart = frame.bodyStart;
  const separatorLine = startLine + 1 + frame.lines;
  const declared = contentLength(frame.contentLengths, framing, separatorLine);

  let body = '';
  let consumed = text.length;
  if (bodyStart === -1) {
    // Pastes often drop the final blank line; that only matters when a body was announced.
    if (declared !== undefined && declared > 0) {
      framing.push({ code: 'truncated', message: `Content-Length is ${declared} but the message ends inside its headers`, line: separatorLine });
    }
  } else if (declared === undefined) {
    body = text.slice(bodyStart);
  } else {
    // A paste whose CRLFs became LFs (chat clients, editors) still declares the CRLF length: count each LF
    // of such a message as the two bytes it was on the wire.
    const bareLf = text.lastIndexOf('\r', bodyStart) < messageStart;
    const end = advanceUtf8(text, bodyStart, declared, bareLf ? 2 : 1);
    if (end <= text.length) {
      body = text.slice(bodyStart, end);
      consumed = end;
    } else {
      body = text.slice(bodyStart);
      // A paste also loses the final line break of its last message; that is not a truncated body.
      if (!(bareLf && end - text.length <= 2)) {
        framing.push({
          code: 'content-length-mismatch',
          message: `Content-Length is ${declared} but only ${Buffer.byteLength(body, 'utf8')} bytes follow`,
          line: separatorLine,
        });
      }
    }
  }

  const message = new SipMessage({
    start,
    headerBlock: { text, from: headersFrom, to: headersTo, line: startLine + 1, callId: frame.callId, cseq: frame.cseq },
    body,
    line: startLine,
    raw: { from: messageStart, to: consumed },
    ...(options.meta === undefined ? {} : { meta: options.meta }),
  });
  return new Parsed(message, consumed, framing, start, startLine);
}

/** A readable message; the checks that need the full header split run when `problems` is first read. */
class Parsed {
  readonly ok = true as const;
  readonly message: SipMessage;
  readonly consumed: number;
  readonly #framing: readonly Problem[];
  readonly #start: StartLine;
  readonly #line: number;
  #problems: readonly Problem[] | undefined;

  constructor(message: SipMessage, consumed: number, framing: readonly Problem[], start: StartLine, line: number) {
    this.message = message;
    this.consumed = consumed;
    this.#framing = framing;
    this.#start = start;
    this.#line = line;
  }

  get problems(): readonly Problem[] {
    this.#problems ??= [...this.#framing, ...this.message.headerProblems, ...requiredHeaderProblems(this.#start, this.message, this.#line)];
    return this.#problems;
  }
}

function parseStartLine(first: string, problems: Problem[], line: number): StartLine | undefined {
  if (first.length >= 4 && (first.startsWith('SIP/') || first.startsWith('sip/'))) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); the phrase may be empty or UTF-8.
    const sp = first.indexOf(' ');
    const version = sp === -1 ? first : first.slice(0, sp);
    const rest = sp === -1 ? '' : first.slice(sp + 1).replace(/^\s+/, '');
    const sp2 = rest.indexOf(' ');
    const codeText = sp2 === -1 ? rest : rest.slice(0, sp2);
    if (!/^\d{3}$/.test(codeText)) {
      problems.push({ code: 'status-code', message: `status code "${preview(codeText)}" is not three digits`, line });
      return undefined;
    }
    const status = Number(codeText);
    if (status < 100 || status > 699) {
      problems.push({ code: 'status-code', message: `status code ${status} is outside 100-699`, line });
    }
    if (version !== 'SIP/2.0') checkVersion(version, problems, line);
    return { method: undefined, uri: undefined, status, reason: sp2 === -1 ? '' : rest.slice(sp2 + 1).trim(), version };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly single spaces.
  const sp1 = first.indexOf(' ');
  const sp2 = sp1 === -1 ? -1 : first.indexOf(' ', sp1 + 1);
  if (sp1 > 0 && sp2 > sp1 + 1 && first.indexOf(' ', sp2 + 1) === -1 && first.startsWith('SIP/', sp2 + 1)) {
    const method = first.slice(0, sp1);
    if (TOKEN.test(method)) {
      const uri = first.slice(sp1 + 1, sp2);
      const version = first.slice(sp2 + 1);
      if (uri.charCodeAt(0) === 0x3c) problems.push({ code: 'request-uri', message: 'Request-URI must not be enclosed in <>', line });
      if (version !== 'SIP/2.0') checkVersion(version, problems, line);
      return { method, uri, status: undefined, reason: undefined, version };
    }
  }
  const tokens = first.split(/[ \t]+/).filter((t) => t !== '');
  const method = tokens[0] ?? '';
  const version = tokens[tokens.length - 1] ?? '';
  if (tokens.length >= 3 && TOKEN.test(method) && /^SIP\/\d/i.test(version)) {
    problems.push({
      code: 'start-line-whitespace',
      message: tokens.length > 3 ? 'whitespace inside the Request-URI' : 'extra whitespace in the request line',
      line,
    });
    checkVersion(version, problems, line);
    return { method, uri: tokens.slice(1, -1).join(' '), status: undefined, reason: undefined, version };
  }
  problems.push({ code: 'start-line', message: `not a SIP start line: ${preview(first)}`, line });
  return undefined;
}

function checkVersion(version: string, problems: Problem[], line: number): void {
  if (version.toUpperCase() !== 'SIP/2.0') {
    problems.push({ code: 'version', message: `protocol version ${preview(version)} is not SIP/2.0`, line });
  }
}

function contentLength(values: readonly string[], problems: Problem[], line: number): number | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1 && new Set(values).size > 1) {
    problems.push({ code: 'content-length-multiple', message: `Content-Length given ${values.length} times with different values`, line });
    return undefined;
  }
  const text = values[0] ?? '';
  if (!/^\d{1,10}$/.test(text)) {
    problems.push({ code: 'content-length-invalid', message: `Content-Length "${preview(text)}" is not a non-negative number`, line });
    return undefined;
  }
  return Number(text);
}

const REQUIRED = ['To', 'From', 'Call-ID', 'CSeq', 'Via'] as const;
const REQUIRED_KEYS: readonly string[] = REQUIRED.map((n) => n.toLowerCase());

// §8.1.1: To, From, CSeq, Call-ID and Via are mandatory in requests, and responses copy them (§8.2.6.2).
function requiredHeaderProblems(start: StartLine, message: SipMessage, line: number): Problem[] {
  const problems: Problem[] = [];
  let seen = 0;
  let cseqValue: string | undefined;
  for (const h of message.headers) {
    const i = REQUIRED_KEYS.indexOf(h.key);
    if (i !== -1) seen |= 1 << i;
    if (h.key === 'cseq') cseqValue ??= h.value;
  }
  if (seen !== (1 << REQUIRED.length) - 1) {
    const missing = REQUIRED.filter((_, i) => (seen & (1 << i)) === 0);
    problems.push({ code: 'missing-header', message: `missing ${missing.join(', ')}`, line });
  }
  if (cseqValue !== undefined) {
    const cseq = parseCSeq(cseqValue);
    if (cseq === undefined) problems.push({ code: 'cseq', message: `CSeq "${preview(cseqValue)}" is not "number METHOD"`, line });
    else {
      if (cseq.seq > MAX_CSEQ) problems.push({ code: 'cseq', message: `CSeq number ${cseq.seq} is not below 2^31`, line });
      if (start.method !== undefined && cseq.method !== start.method) {
        problems.push({ code: 'cseq-method', message: `CSeq method ${cseq.method} does not match the request method ${start.method}`, line });
      }
    }
  }
  return problems;
}

function stripCr(s: string): string {
  return s.charCodeAt(s.length - 1) === 0x0d ? s.slice(0, -1) : s;
}

/**
 * The index `bytes` UTF-8 bytes after `start`. Content-Length counts octets (§20.14) while the text is
 * UTF-16, so non-ASCII bodies need counting; ASCII, the common case, is a straight add. May return a value
 * past the end when the text is shorter than declared.
 */
function advanceUtf8(text: string, start: number, bytes: number, lfBytes: 1 | 2 = 1): number {
  const end = start + bytes;
  if (lfBytes === 1 && end <= text.length && !/[^\x00-\x7f]/.test(text.slice(start, end))) return end;
  let i = start;
  let count = 0;
  while (i < text.length && count < bytes) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) count += lfBytes;
    else if (c < 0x80) count += 1;
    else if (c < 0x800) count += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      count += 4;
      i++;
    } else count += 3;
    i++;
  }
  return count < bytes ? text.length + (bytes - count) : i;
}
