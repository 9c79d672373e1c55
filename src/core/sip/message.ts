import { parseChallenge, parseCredentials, type Challenge, type Credentials } from './auth.js';
import { parseCSeq, type CSeq } from './cseq.js';
import { headerKey } from './header-names.js';
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

/** Where a message came from, when the trace format says so. */
export interface MessageMeta {
  /** Milliseconds since the epoch, or since an arbitrary origin when only a time of day is known. */
  readonly time?: number;
  readonly src?: Endpoint;
  readonly dst?: Endpoint;
  readonly transport?: string;
  /** Which reader found the message ("raw", "tshark", "asterisk-pjsip", "pcap", …). */
  readonly format?: string;
  /** For a capture: the 1-based frame the message was read from (the last one, when it spanned several). */
  readonly frame?: number;
}

export interface Endpoint {
  readonly host: string;
  readonly port?: number;
}

export interface StartLine {
  readonly method: string | undefined;
  readonly uri: string | undefined;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly version: string;
}

const UNSET = Symbol('unset');
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
  readonly headers: readonly SipHeader[];
  readonly body: string;
  /** 1-based line of the start line in the source text. */
  readonly line: number;
  readonly meta: MessageMeta;
  /** The exact text the message was parsed from, for redacted echoing. */
  readonly raw: string;
  readonly callId: string;

  #cseq: Lazy<CSeq | undefined> = UNSET;
  #vias: Via[] | undefined;
  #from: Lazy<NameAddr | undefined> = UNSET;
  #to: Lazy<NameAddr | undefined> = UNSET;
  #sdp: Lazy<Sdp | undefined> = UNSET;

  constructor(init: {
    start: StartLine;
    headers: readonly SipHeader[];
    body: string;
    line: number;
    raw: string;
    callId: string;
    meta?: MessageMeta | undefined;
  }) {
    this.method = init.start.method;
    this.uri = init.start.uri;
    this.status = init.start.status;
    this.reason = init.start.reason;
    this.version = init.start.version;
    this.headers = init.headers;
    this.body = init.body;
    this.line = init.line;
    this.raw = init.raw;
    this.callId = init.callId;
    this.meta = init.meta ?? {};
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
      headers: this.headers,
      body: this.body,
      line: this.line,
      raw: this.raw,
      callId: this.callId,
      meta: { ...this.meta, ...meta },
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
      const v = this.get('CSeq');
      this.#cseq = v === undefined ? undefined : parseCSeq(v);
    }
    return this.#cseq;
  }

  get vias(): readonly Via[] {
    this.#vias ??= parseViaList(this.getAll('Via'));
    return this.#vias;
  }

  get topVia(): Via | undefined {
    return this.vias[0];
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
    return parseNameAddrList(this.getAll('Contact'));
  }

  get recordRoutes(): NameAddr[] {
    return parseNameAddrList(this.getAll('Record-Route'));
  }

  get maxForwards(): number | undefined {
    const v = this.get('Max-Forwards');
    return v === undefined ? undefined : parseDeltaSeconds(v);
  }

  get reasons(): Reason[] {
    return parseReasonList(this.getAll('Reason'));
  }

  get warnings(): Warning[] {
    return parseWarningList(this.getAll('Warning'));
  }

  get retryAfter(): RetryAfter | undefined {
    const v = this.get('Retry-After');
    return v === undefined ? undefined : parseRetryAfter(v);
  }

  /** WWW-Authenticate and Proxy-Authenticate challenges, with the header each came in. */
  get challenges(): { header: 'WWW-Authenticate' | 'Proxy-Authenticate'; challenge: Challenge }[] {
    return [
      ...this.getAll('WWW-Authenticate').map((v) => ({ header: 'WWW-Authenticate' as const, challenge: parseChallenge(v) })),
      ...this.getAll('Proxy-Authenticate').map((v) => ({ header: 'Proxy-Authenticate' as const, challenge: parseChallenge(v) })),
    ];
  }

  /** Authorization and Proxy-Authorization, without the digest response. */
  get credentials(): { header: 'Authorization' | 'Proxy-Authorization'; credentials: Credentials }[] {
    return [
      ...this.getAll('Authorization').map((v) => ({ header: 'Authorization' as const, credentials: parseCredentials(v) })),
      ...this.getAll('Proxy-Authorization').map((v) => ({ header: 'Proxy-Authorization' as const, credentials: parseCredentials(v) })),
    ];
  }

  /** Server on responses, User-Agent on requests; whichever the message carries. */
  get product(): string | undefined {
    return this.get('Server') ?? this.get('User-Agent');
  }

  get allow(): string[] {
    return this.list('Allow').map((m) => m.toUpperCase());
  }

  get supported(): string[] {
    return this.list('Supported');
  }

  get require(): string[] {
    return this.list('Require');
  }

  get unsupported(): string[] {
    return this.list('Unsupported');
  }

  get minSE(): number | undefined {
    const v = this.get('Min-SE');
    return v === undefined ? undefined : parseDeltaSeconds(v);
  }

  get minExpires(): number | undefined {
    const v = this.get('Min-Expires');
    return v === undefined ? undefined : parseDeltaSeconds(v);
  }

  get expires(): number | undefined {
    const v = this.get('Expires');
    return v === undefined ? undefined : parseDeltaSeconds(v);
  }

  get sessionExpires(): SessionExpires | undefined {
    const v = this.get('Session-Expires');
    return v === undefined ? undefined : parseSessionExpires(v);
  }

  get contentType(): string | undefined {
    return this.get('Content-Type')?.split(';')[0]?.trim().toLowerCase();
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
