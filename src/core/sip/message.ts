import { parseChallenge, parseCredentials, type Challenge, type Credentials } from './auth.js';
import { parseCSeq, type CSeq } from './cseq.js';
import type { Problem } from '../result.js';
import { headerKey } from './header-names.js';
import { scanHeaders, type HeaderScan } from './scan-headers.js';
import { splitList } from './lexer.js';
import { parseNameAddr, parseNameAddrList, type NameAddr } from './name-addr.js';
import { parseReasonList, type Reason } from './reason.js';
import { parseSdp, type Sdp } from './sdp.js';
import {
  parseDeltaSeconds,
  parseRetryAfter,
  parseSessionExpires,
  type RetryAfter,
  type SessionExpires,
} from './timers.js';
import { parseViaList, type Via } from './via.js';
import { parseWarningList, type Warning } from './warning.js';

export interface SipHeader {
  /** Canonical spelling (compact forms expanded), or the name as written for unknown headers. */
  readonly name: string;
  /** Lower-case long form, used for lookups. */
  readonly key: string;
  readonly value: string;
  /** 1-based line in the source text. */
  readonly line: number;
}

export type { Endpoint, InferredFrom, MessageMeta } from './message-meta.js';
import type { MessageMeta } from './message-meta.js';

export interface StartLine {
  readonly method: string | undefined;
  readonly uri: string | undefined;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly version: string;
}

/** Where a message's header block sits in the text it was parsed from. */
export interface HeaderBlock {
  readonly text: string;
  readonly from: number;
  readonly to: number;
  /** 1-based line of the first header line. */
  readonly line: number;
  /** Call-ID and CSeq values found while framing, so that reading them needs no header split. */
  readonly callId?: string | undefined;
  readonly cseq?: string | undefined;
}

const UNSET = Symbol('unset');
const NO_META: MessageMeta = Object.freeze({});
type Lazy<T> = T | typeof UNSET;

/**
 * A parsed SIP message (RFC 3261 §7). Start line, headers in order and body are parsed eagerly; every
 * structured header is parsed on first access and cached, since most triage passes read only a few.
 */
export class SipMessage {
  readonly method: string | undefined;
  readonly uri: string | undefined;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly version: string;
  readonly body: string;
  /** 1-based line of the start line in the source text. */
  readonly line: number;
  readonly meta: MessageMeta;
  readonly #rawSpan: { readonly from: number; readonly to: number };
  #raw: string | undefined;
  readonly #block: HeaderBlock;
  #scan: HeaderScan | undefined;

  #cseq: Lazy<CSeq | undefined> = UNSET;
  #vias: Via[] | undefined;
  #from: Lazy<NameAddr | undefined> = UNSET;
  #to: Lazy<NameAddr | undefined> = UNSET;
  #sdp: Lazy<Sdp | undefined> = UNSET;
  // Structured views are computed on first use and kept: triage rules ask for the same ones repeatedly.
  #memo: Map<string, unknown> | undefined;

  #once<T>(key: string, compute: () => T): T {
    const memo = (this.#memo ??= new Map());
    if (memo.has(key)) return memo.get(key) as T;
    const value = compute();
    memo.set(key, value);
    return value;
  }

  constructor(init: {
    start: StartLine;
    headerBlock: HeaderBlock;
    body: string;
    line: number;
    /** Where the whole message sits in the header block's text. */
    raw: { readonly from: number; readonly to: number };
    meta?: MessageMeta;
    scan?: HeaderScan;
  }) {
    this.method = init.start.method;
    this.uri = init.start.uri;
    this.status = init.start.status;
    this.reason = init.start.reason;
    this.version = init.start.version;
    this.#block = init.headerBlock;
    this.#scan = init.scan;
    this.body = init.body;
    this.line = init.line;
    this.#rawSpan = init.raw;
    this.meta = init.meta ?? NO_META;
  }

  /** The exact text the message was parsed from, for redacted echoing and size checks. */
  get raw(): string {
    this.#raw ??= this.#block.text.slice(this.#rawSpan.from, this.#rawSpan.to);
    return this.#raw;
  }

  /** Every header in order, split from the header block on first use. */
  get headers(): readonly SipHeader[] {
    return this.#headerScan().headers;
  }

  /** What the header split found wrong (unreadable lines, duplicates, binary junk), with line numbers. */
  get headerProblems(): readonly Problem[] {
    return this.#headerScan().problems;
  }

  #headerScan(): HeaderScan {
    this.#scan ??= scanHeaders(this.#block.text, this.#block.from, this.#block.to, this.#block.line);
    return this.#scan;
  }

  /** The Call-ID, or '' when the message has none. */
  get callId(): string {
    return this.#block.callId ?? this.get('Call-ID') ?? '';
  }

  get isRequest(): boolean {
    return this.method !== undefined;
  }

  get isResponse(): boolean {
    return this.status !== undefined;
  }

  /** "INVITE" for requests, "503 Service Unavailable" for responses. */
  get label(): string {
    return this.method ?? `${this.status ?? ''} ${this.reason ?? ''}`.trim();
  }

  /** A copy with trace metadata (time, addresses) attached. */
  withMeta(meta: MessageMeta): SipMessage {
    return new SipMessage({
      start: this,
      headerBlock: this.#block,
      body: this.body,
      line: this.line,
      raw: this.#rawSpan,
      meta: { ...this.meta, ...meta },
      ...(this.#scan === undefined ? {} : { scan: this.#scan }),
    });
  }

  /** The first value of a header, by any spelling: "Call-ID", "call-id" or "i". */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const h of this.headers) if (h.key === key) return h.value;
    return undefined;
  }

  /** Every header line of that name, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const h of this.headers) if (h.key === key) out.push(h.value);
    return out;
  }

  /** The header lines themselves, with their line numbers, for pointing at evidence. */
  headerLines(name: string): SipHeader[] {
    const key = headerKey(name);
    return this.headers.filter((h) => h.key === key);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Comma-separated values across all lines of that header, in order (RFC 3261 §7.3.1). */
  list(name: string): string[] {
    const out: string[] = [];
    for (const value of this.getAll(name)) for (const part of splitList(value)) out.push(part);
    return out;
  }

  get cseq(): CSeq | undefined {
    if (this.#cseq === UNSET) {
      const v = this.#block.cseq ?? this.get('CSeq');
      this.#cseq = v === undefined ? undefined : parseCSeq(v);
    }
    return this.#cseq;
  }

  get vias(): readonly Via[] {
    this.#vias ??= parseViaList(this.getAll('Via'));
    return this.#vias;
  }

  /** The top Via alone: retransmission and transaction matching need only its branch, not the whole stack. */
  get topVia(): Via | undefined {
    if (this.#vias !== undefined) return this.#vias[0];
    return this.#once('topVia', () => {
      const first = this.get('Via');
      return first === undefined ? undefined : parseViaList([first])[0];
    });
  }

  get from(): NameAddr | undefined {
    if (this.#from === UNSET) {
      const v = this.get('From');
      this.#from = v === undefined ? undefined : parseNameAddr(v);
    }
    return this.#from;
  }

  get to(): NameAddr | undefined {
    if (this.#to === UNSET) {
      const v = this.get('To');
      this.#to = v === undefined ? undefined : parseNameAddr(v);
    }
    return this.#to;
  }

  get fromTag(): string | undefined {
    return this.from?.params.get('tag');
  }

  get toTag(): string | undefined {
    return this.to?.params.get('tag');
  }

  get contacts(): NameAddr[] {
    return this.#once('contacts', () => {
      return parseNameAddrList(this.getAll('Contact'));
    });
  }

  get recordRoutes(): NameAddr[] {
    return this.#once('recordRoutes', () => {
      return parseNameAddrList(this.getAll('Record-Route'));
    });
  }

  get maxForwards(): number | undefined {
    return this.#once('maxForwards', () => {
      const v = this.get('Max-Forwards');
      return v === undefined ? undefined : parseDeltaSeconds(v);
    });
  }

  get reasons(): Reason[] {
    return this.#once('reasons', () => {
      return parseReasonList(this.getAll('Reason'));
    });
  }

  get warnings(): Warning[] {
    return this.#once('warnings', () => {
      return parseWarningList(this.getAll('Warning'));
    });
  }

  get retryAfter(): RetryAfter | undefined {
    return this.#once('retryAfter', () => {
      const v = this.get('Retry-After');
      return v === undefined ? undefined : parseRetryAfter(v);
    });
  }

  /** WWW-Authenticate and Proxy-Authenticate challenges, with the header each came in. */
  get challenges(): { header: 'WWW-Authenticate' | 'Proxy-Authenticate'; challenge: Challenge }[] {
    return this.#once('challenges', () => {
      return [
        ...this.getAll('WWW-Authenticate').map((v) => ({ header: 'WWW-Authenticate' as const, challenge: parseChallenge(v) })),
        ...this.getAll('Proxy-Authenticate').map((v) => ({ header: 'Proxy-Authenticate' as const, challenge: parseChallenge(v) })),
      ];
    });
  }

  /** Authorization and Proxy-Authorization, without the digest response. */
  get credentials(): { header: 'Authorization' | 'Proxy-Authorization'; credentials: Credentials }[] {
    return this.#once('credentials', () => {
      return [
        ...this.getAll('Authorization').map((v) => ({ header: 'Authorization' as const, credentials: parseCredentials(v) })),
        ...this.getAll('Proxy-Authorization').map((v) => ({ header: 'Proxy-Authorization' as const, credentials: parseCredentials(v) })),
      ];
    });
  }

  /** Server on responses, User-Agent on requests; whichever the message carries. */
  get product(): string | undefined {
    return this.get('Server') ?? this.get('User-Agent');
  }

  get allow(): string[] {
    return this.#once('allow', () => {
      return this.list('Allow').map((m) => m.toUpperCase());
    });
  }

  get supported(): string[] {
    return this.#once('supported', () => {
      return this.list('Supported');
    });
  }

  get require(): string[] {
    return this.#once('require', () => {
      return this.list('Require');
    });
  }

  get unsupported(): string[] {
    return this.#once('unsupported', () => {
      return this.list('Unsupported');
    });
  }

  get minSE(): number | undefined {
    return this.#once('minSE', () => {
      const v = this.get('Min-SE');
      return v === undefined ? undefined : parseDeltaSeconds(v);
    });
  }

  get minExpires(): number | undefined {
    return this.#once('minExpires', () => {
      const v = this.get('Min-Expires');
      return v === undefined ? undefined : parseDeltaSeconds(v);
    });
  }

  get expires(): number | undefined {
    return this.#once('expires', () => {
      const v = this.get('Expires');
      return v === undefined ? undefined : parseDeltaSeconds(v);
    });
  }

  get sessionExpires(): SessionExpires | undefined {
    return this.#once('sessionExpires', () => {
      const v = this.get('Session-Expires');
      return v === undefined ? undefined : parseSessionExpires(v);
    });
  }

  get contentType(): string | undefined {
    return this.#once('contentType', () => {
      return this.get('Content-Type')?.split(';')[0]?.trim().toLowerCase();
    });
  }

  /** The SDP body, including the SDP part of a multipart body (RFC 5621). */
  get sdp(): Sdp | undefined {
    if (this.#sdp === UNSET) this.#sdp = this.body === '' ? undefined : findSdp(this.contentType, this.body);
    return this.#sdp;
  }
}

function findSdp(contentType: string | undefined, body: string): Sdp | undefined {
  if (contentType === 'application/sdp' || (contentType === undefined && /^\s*v=0/.test(body))) return parseSdp(body);
  if (contentType?.startsWith('multipart/')) {
    const at = body.search(/content-type:\s*application\/sdp/i);
    if (at === -1) return undefined;
    const blank = body.slice(at).search(/\r?\n\r?\n/);
    if (blank === -1) return undefined;
    const part = body.slice(at + blank).replace(/^\s+/, '');
    const end = part.search(/\r?\n--/);
    return parseSdp(end === -1 ? part : part.slice(0, end));
  }
  return undefined;
}
