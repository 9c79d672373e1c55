import type { Problem } from '../result.js';
import { MAX_CSEQ, parseCSeq } from './cseq.js';
import { headerName } from './header-names.js';
import { SipMessage, type MessageMeta, type SipHeader, type StartLine } from './message.js';

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
// A binary or control character in the header section (TAB, CR and LF are legitimate).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;

/**
 * Parses one SIP message from the start of `text` (RFC 3261 §7). Staged: skip leading blank lines
 * (§7.5), start line, header lines with folding (§7.3.1), then a body framed by Content-Length (§20.14)
 * or, without one, the rest of the text (§18.3, datagram semantics). Lenient by design: whatever can be
 * read is returned with problems noted; only a missing start line is fatal. Never throws.
 */
export function parseSipMessage(text: string, options: ParseOptions = {}): ParseOutcome {
  const problems: Problem[] = [];
  const lineOffset = options.lineOffset ?? 0;
  const maxLength = options.maxLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  if (text.length > maxLength) {
    return {
      ok: false,
      problems: [{ code: 'too-large', message: `message is ${text.length} characters, over the ${maxLength} limit`, line: lineOffset + 1 }],
      consumed: text.length,
    };
  }

  let pos = 0;
  let line = 1;
  // §7.5: CRLFs before the start line are ignored (keep-alives, stray blank lines in pastes).
  while (pos < text.length) {
    const ch = text.charCodeAt(pos);
    if (ch === 0x0a) line++;
    else if (ch !== 0x0d && ch !== 0x20 && ch !== 0x09) break;
    pos++;
  }
  const startLineNo = line;
  let eol = text.indexOf('\n', pos);
  if (eol === -1) eol = text.length;
  const first = stripCr(text.slice(pos, eol));
  const start = parseStartLine(first, problems, lineOffset + line);
  if (start === undefined) {
    return { ok: false, problems, consumed: eol === text.length ? eol : eol + 1 };
  }
  const messageStart = pos;
  pos = eol + 1;
  line++;

  const headers: SipHeader[] = [];
  let callId = '';
  let contentLengths: string[] | undefined;
  let endOfHeaders = -1;
  while (pos < text.length) {
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    let raw = text.slice(pos, next);
    if (raw.charCodeAt(raw.length - 1) === 0x0d) raw = raw.slice(0, -1);
    if (raw.length === 0 || raw.trim() === '') {
      endOfHeaders = next + 1;
      line++;
      break;
    }
    const c0 = raw.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      // §7.3.1 folding: a line starting with whitespace continues the previous header value.
      const prev = headers[headers.length - 1];
      if (prev !== undefined) {
        const joined = `${prev.value} ${raw.trim()}`.trim();
        headers[headers.length - 1] = { ...prev, value: joined };
        if (prev.key === 'call-id') callId = joined;
        else if (prev.key === 'content-length' && contentLengths) contentLengths[contentLengths.length - 1] = joined;
      } else {
        problems.push({ code: 'fold-without-header', message: 'continuation line before any header', line: lineOffset + line });
      }
    } else {
      const colon = raw.indexOf(':');
      if (colon <= 0) {
        problems.push({ code: 'header-syntax', message: `not a header line: ${preview(raw)}`, line: lineOffset + line });
      } else {
        let rawName = raw.slice(0, colon);
        // "Call-ID  :" is legal (HCOLON allows whitespace before the colon, §25.1).
        if (rawName.charCodeAt(rawName.length - 1) === 0x20 || rawName.charCodeAt(rawName.length - 1) === 0x09) rawName = rawName.trimEnd();
        const { name, key } = headerName(rawName);
        const value = raw.slice(colon + 1).trim();
        if (CONTROL.test(raw) && hasBareControl(raw)) {
          problems.push({ code: 'binary', message: `binary or control characters in ${name}`, line: lineOffset + line });
        }
        headers.push({ name, key, value, line: lineOffset + line });
        if (key === 'call-id') callId = value;
        else if (key === 'content-length') (contentLengths ??= []).push(value);
      }
    }
    pos = next + 1;
    line++;
  }

  let body = '';
  let consumed = text.length;
  if (endOfHeaders === -1) {
    // Pastes often drop the final blank line; that only matters when a body was announced.
    const declared = contentLength(contentLengths, problems, lineOffset + line - 1);
    if (declared !== undefined && declared > 0) {
      problems.push({ code: 'truncated', message: `Content-Length is ${declared} but the message ends inside its headers`, line: lineOffset + line - 1 });
    }
  } else {
    const bodyStart = Math.min(endOfHeaders, text.length);
    const declared = contentLength(contentLengths, problems, lineOffset + line - 1);
    if (declared === undefined) {
      body = text.slice(bodyStart);
    } else {
      const end = advanceUtf8(text, bodyStart, declared);
      if (end > text.length) {
        problems.push({
          code: 'content-length-mismatch',
          message: `Content-Length is ${declared} but only ${byteLength(text, bodyStart, text.length)} bytes follow`,
          line: lineOffset + line - 1,
        });
        body = text.slice(bodyStart);
      } else {
        body = text.slice(bodyStart, end);
        consumed = end;
      }
    }
  }

  checkRequiredHeaders(start, headers, problems, lineOffset + startLineNo);
  const message = new SipMessage({
    start,
    headers,
    body,
    line: lineOffset + startLineNo,
    raw: text.slice(messageStart, consumed),
    callId,
    meta: options.meta,
  });
  return { ok: true, message, problems, consumed };
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
    checkVersion(version, problems, line);
    return { method: undefined, uri: undefined, status, reason: sp2 === -1 ? '' : rest.slice(sp2 + 1).trim(), version };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly single spaces.
  const parts = first.split(' ');
  if (parts.length === 3 && TOKEN.test(parts[0] ?? '') && /^SIP\//i.test(parts[2] ?? '') && (parts[1] ?? '') !== '') {
    const [method = '', uri = '', version = ''] = parts;
    if (uri.startsWith('<')) problems.push({ code: 'request-uri', message: 'Request-URI must not be enclosed in <>', line });
    checkVersion(version, problems, line);
    return { method, uri, status: undefined, reason: undefined, version };
  }
  const tokens = first.split(/[ \t]+/).filter((t) => t !== '');
  const method = tokens[0] ?? '';
  const version = tokens[tokens.length - 1] ?? '';
  if (tokens.length >= 3 && TOKEN.test(method) && /^SIP\/\d/i.test(version)) {
    const uri = tokens.slice(1, -1).join(' ');
    problems.push({
      code: 'start-line-whitespace',
      message: tokens.length > 3 ? 'whitespace inside the Request-URI' : 'extra whitespace in the request line',
      line,
    });
    checkVersion(version, problems, line);
    return { method, uri, status: undefined, reason: undefined, version };
  }
  problems.push({ code: 'start-line', message: `not a SIP start line: ${preview(first)}`, line });
  return undefined;
}

function checkVersion(version: string, problems: Problem[], line: number): void {
  if (version.toUpperCase() !== 'SIP/2.0') {
    problems.push({ code: 'version', message: `protocol version ${preview(version)} is not SIP/2.0`, line });
  }
}

function contentLength(values: string[] | undefined, problems: Problem[], line: number): number | undefined {
  if (values === undefined) return undefined;
  const distinct = new Set(values);
  if (distinct.size > 1) {
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

const REQUIRED = ['to', 'from', 'call-id', 'cseq', 'via'] as const;
const REQUIRED_NAMES: Record<(typeof REQUIRED)[number], string> = { to: 'To', from: 'From', 'call-id': 'Call-ID', cseq: 'CSeq', via: 'Via' };

// §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory in requests; responses copy all but Max-Forwards.
function checkRequiredHeaders(start: StartLine, headers: readonly SipHeader[], problems: Problem[], line: number): void {
  let seen = 0;
  let cseqValue: string | undefined;
  for (const h of headers) {
    const i = REQUIRED.indexOf(h.key as (typeof REQUIRED)[number]);
    if (i !== -1) seen |= 1 << i;
    if (h.key === 'cseq' && cseqValue === undefined) cseqValue = h.value;
  }
  if (seen !== 0b11111) {
    const missing = REQUIRED.filter((_, i) => (seen & (1 << i)) === 0).map((k) => REQUIRED_NAMES[k]);
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
}

// A control character escaped as a quoted-pair ("\\^G" inside a display name, RFC 4475 intmeth) is legal.
function hasBareControl(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const control = (c < 0x20 && c !== 0x09) || c === 0x7f || c === 0xfffd;
    if (control && raw.charCodeAt(i - 1) !== 0x5c) return true;
  }
  return false;
}

function stripCr(s: string): string {
  return s.charCodeAt(s.length - 1) === 0x0d ? s.slice(0, -1) : s;
}

function preview(s: string): string {
  const t = s.length > 60 ? `${s.slice(0, 60)}…` : s;
  // eslint-disable-next-line no-control-regex
  return t.replace(/[\x00-\x1f\x7f]/g, '?');
}

/**
 * The index `bytes` UTF-8 bytes after `start`. Content-Length counts octets (§20.14) while the text is
 * UTF-16, so non-ASCII bodies need counting; ASCII, the common case, is a straight add. May return a
 * value past the end when the text is shorter than declared.
 */
function advanceUtf8(text: string, start: number, bytes: number): number {
  const end = start + bytes;
  if (end <= text.length && !/[^\x00-\x7f]/.test(text.slice(start, end))) return end;
  let i = start;
  let count = 0;
  while (i < text.length && count < bytes) {
    const c = text.charCodeAt(i);
    if (c < 0x80) count += 1;
    else if (c < 0x800) count += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      count += 4;
      i++;
    } else count += 3;
    i++;
  }
  return count < bytes ? text.length + (bytes - count) : i;
}

function byteLength(text: string, start: number, end: number): number {
  return Buffer.byteLength(text.slice(start, end), 'utf8');
}
