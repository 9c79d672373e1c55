import { parseAuthParams } from './lexer.js';

/** WWW-Authenticate / Proxy-Authenticate (RFC 3261 §20.27, §20.44; RFC 7616; RFC 8760). */
export interface Challenge {
  readonly scheme: string;
  readonly realm: string | undefined;
  readonly nonce: string | undefined;
  readonly algorithm: string | undefined;
  readonly qop: string | undefined;
  /** stale=true: the credentials were right but the nonce had expired (RFC 7616 §3.3). */
  readonly stale: boolean;
  readonly opaque: boolean;
}

/**
 * Authorization / Proxy-Authorization, with only what triage may show. The digest `response` and
 * `cnonce` are deliberately not kept: they are derived from the password.
 */
export interface Credentials {
  readonly scheme: string;
  readonly username: string | undefined;
  readonly realm: string | undefined;
  readonly uri: string | undefined;
  readonly algorithm: string | undefined;
  readonly nonce: string | undefined;
  readonly hasResponse: boolean;
}

function splitScheme(value: string): { scheme: string; rest: string } {
  const m = /^\s*([A-Za-z0-9_-]+)\s*(.*)$/s.exec(value);
  return { scheme: m?.[1] ?? '', rest: m?.[2] ?? '' };
}

export function parseChallenge(value: string): Challenge {
  const { scheme, rest } = splitScheme(value);
  const p = parseAuthParams(rest);
  return {
    scheme,
    realm: p.get('realm'),
    nonce: p.get('nonce'),
    algorithm: p.get('algorithm'),
    qop: p.get('qop'),
    stale: (p.get('stale') ?? '').toLowerCase() === 'true',
    opaque: p.has('opaque'),
  };
}

export function parseCredentials(value: string): Credentials {
  const { scheme, rest } = splitScheme(value);
  const p = parseAuthParams(rest);
  return {
    scheme,
    username: p.get('username'),
    realm: p.get('realm'),
    uri: p.get('uri'),
    algorithm: p.get('algorithm'),
    nonce: p.get('nonce'),
    hasResponse: p.has('response'),
  };
}
