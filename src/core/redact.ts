import { isIPv4, isIPv6 } from 'node:net';
import { isNonRoutable } from './triage/address.js';

export interface RedactOptions {
  /** Mask phone numbers in identity headers and URIs (REDACT_NUMBERS). */
  readonly numbers: boolean;
  /** Replace IP addresses with stable pseudonyms (REDACT_ADDRESSES). */
  readonly addresses: boolean;
}

export const DEFAULT_REDACT: RedactOptions = { numbers: false, addresses: false };

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
const CHALLENGE_HEADERS = new Set(['www-authenticate', 'proxy-authenticate', 'authentication-info']);
// URI parameters and query keys that carry secrets (push tokens, API keys, pre-signed access).
const SECRET_PARAM = /([;?&](?:token|access_token|auth|password|passwd|pass|pwd|secret|key|apikey|api_key|sig|signature|pn-prid|pn-param)=)([^;?&>\s,"]+)/gi;
// user:password@host in a SIP URI (deprecated by RFC 3261 §19.1.1, still seen).
const URI_PASSWORD = /((?:sips?|tel):[^:@\s<>;"]+):([^@\s<>;"]+)@/gi;
// digits of a phone number in a URI user part or a tel: URI, optionally with + and visual separators.
// A number stands on its own: digits glued to letters are part of a token (a tag, a branch, a hex Call-ID)
// and the values of tag= and branch= identify dialogs, not people, so both stay as they are.
const NUMBER = /(?<![A-Za-z0-9_]|(?:tag|branch)=)(\+?\d[\d\-.()]{5,}\d)(?![A-Za-z0-9_])/g;
// Authorization headers repeat the Request-URI in the digest uri= parameter (RFC 7616 §3.4).
const NUMBER_HEADERS = new Set(['authorization', 'proxy-authorization', 'from', 'to', 'contact', 'p-asserted-identity', 'p-preferred-identity', 'remote-party-id', 'diversion', 'history-info', 'refer-to', 'referred-by']);
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
// Candidates only; each is confirmed with net.isIPv6 so that times ("10:29:27") are left alone.
const IPV6 = /\[?(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\]?/gi;

/** Replaces every digest response, cnonce and secret; shortens nonces (RFC 7616 §3.4 fields). */
export function redactAuthValue(value: string): string {
  return value
    .replace(/\b(response|cnonce|password)\s*=\s*("[^"]*"|[^,\s]+)/gi, '$1="[redacted]"')
    .replace(/\b(nonce|opaque)\s*=\s*"([^"]{0,8})[^"]*"/gi, (_m, k: string, head: string) => `${k}="${head}…"`)
    .replace(/\b(nonce|opaque)\s*=\s*([^",\s]{1,8})[^",\s]*/gi, (_m, k: string, head: string) => `${k}=${head}…`);
}

/**
 * A redactor shows header values and whole traces safely. Address pseudonyms are stable within one redactor,
 * so a redacted ladder still shows which messages share a host.
 */
export class Redactor {
  readonly options: RedactOptions;
  readonly #addresses = new Map<string, string>();
  #counts = { private: 0, public: 0 };

  constructor(options: RedactOptions = DEFAULT_REDACT) {
    this.options = options;
  }

  /** A header value as it may be shown: credentials removed always, numbers and addresses as configured. */
  header(name: string, value: string): string {
    const key = name.toLowerCase();
    let v = value;
    if (CREDENTIAL_HEADERS.has(key) || CHALLENGE_HEADERS.has(key)) v = redactAuthValue(v);
    v = this.#secrets(v);
    if (this.options.numbers && NUMBER_HEADERS.has(key)) v = maskNumbers(v);
    if (this.options.addresses) v = this.address(v);
    return v;
  }

  /** A request or status line: the Request-URI may carry a number or a secret. */
  startLine(line: string): string {
    let v = this.#secrets(line);
    if (this.options.numbers) v = maskNumbers(v);
    if (this.options.addresses) v = this.address(v);
    return v;
  }

  /**
   * A whole trace or message. Each header is redacted as one value after unfolding its continuation lines
   * (RFC 3261 §7.3.1: a line starting with SP or HT continues the header above, and may split a digest
   * credential anywhere, even around "="), and is written back on one line, which §7.3.1 says means the
   * same. A header may sit behind a common indent or "> " quote marks; its continuations then carry the same
   * prefix and at least one more blank. Other lines get the secret and address rules, and a digest hash
   * anywhere is removed even when nothing says it belongs to a credential header.
   */
  text(text: string): string {
    const lines = text.split('\n');
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const { body, eol } = splitEol(lines[i] ?? '');
      const m = HEADER_LINE.exec(body);
      if (m === null || URI_SCHEME.test(m[2] ?? '')) {
        out.push(this.#freeText(body) + eol);
        continue;
      }
      const [, prefix = '', name = '', sep = ''] = m;
      const parts = [m[4] ?? ''];
      while (i + 1 < lines.length && isContinuation(splitEol(lines[i + 1] ?? '').body, prefix)) {
        parts.push(splitEol(lines[++i] ?? '').body.slice(prefix.length).trim());
      }
      const value = parts.filter((p, k) => k === 0 || p !== '').join(' ');
      out.push(`${prefix}${name}${sep}${scrubDigestHashes(this.header(expandCompact(name), value))}${eol}`);
    }
    return out.join('\n');
  }

  #freeText(line: string): string {
    if (/SIP\/2\.0/i.test(line)) return scrubDigestHashes(this.startLine(line));
    const v = scrubDigestHashes(this.#secrets(line));
    return this.options.addresses ? this.address(v) : v;
  }

  /** Replaces IP addresses with "private-1" / "public-2" pseudonyms, keeping the scope visible for NAT reading. */
  address(text: string): string {
    const swap = (ip: string): string => {
      const bare = ip.replace(/^\[|\]$/g, '');
      if (!isIPv4(bare) && !isIPv6(bare)) return ip;
      let alias = this.#addresses.get(bare);
      if (alias === undefined) {
        const scope = isNonRoutable(bare) ? 'private' : 'public';
        alias = `${scope}-${++this.#counts[scope]}`;
        this.#addresses.set(bare, alias);
      }
      return alias;
    };
    return text.replace(IPV6, swap).replace(IPV4, swap);
  }

  #secrets(value: string): string {
    return value.replace(SECRET_PARAM, '$1[redacted]').replace(URI_PASSWORD, '$1:[redacted]@');
  }
}

// A header line, possibly behind an indent or "> " quote marks (pasted from mail, chat or a log viewer).
const HEADER_LINE = /^([ \t]*(?:>[ \t]*)*)([A-Za-z][A-Za-z0-9-]*|[a-z])([ \t]*:[ \t]*)(.*)$/s;
const URI_SCHEME = /^(sips?|tel|https?)$/i;

function splitEol(line: string): { body: string; eol: string } {
  return line.endsWith('\r') ? { body: line.slice(0, -1), eol: '\r' } : { body: line, eol: '' };
}

function isContinuation(line: string, prefix: string): boolean {
  if (!line.startsWith(prefix)) return false;
  const c = line.charCodeAt(prefix.length);
  return (c === 0x20 || c === 0x09) && line.trim() !== '';
}

// The digest response and cnonce are hex (RFC 7616 §3.4.1, RFC 2617 §3.2.2): a long hex value after one of
// these names is a credential wherever it stands, even on a line no header names.
const DIGEST_HASH = /\b(response|cnonce)(\s*=\s*)"?[0-9a-f]{16,}"?/gi;
function scrubDigestHashes(value: string): string {
  return value.replace(DIGEST_HASH, '$1$2"[redacted]"');
}

/** Keeps the last two digits so that people can still tell two numbers apart. */
export function maskNumbers(value: string): string {
  return value.replace(NUMBER, (n) => {
    // A dotted IPv4 address looks like a number with separators; addresses have their own setting.
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(n)) return n;
    const digits = n.replace(/\D/g, '');
    if (digits.length < 6) return n;
    return `${n.startsWith('+') ? '+' : ''}${'•'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  });
}

const COMPACT_FOR_REDACTION: Readonly<Record<string, string>> = { f: 'from', t: 'to', m: 'contact', r: 'refer-to', b: 'referred-by' };
function expandCompact(name: string): string {
  return name.length === 1 ? (COMPACT_FOR_REDACTION[name.toLowerCase()] ?? name) : name;
}
