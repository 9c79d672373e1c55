import { parseParams } from './lexer.js';

/** A SIP, SIPS or tel URI taken apart only as far as triage needs (RFC 3261 §19.1, RFC 3966). */
export interface SipUri {
  readonly raw: string;
  readonly scheme: string;
  /** User part with any password removed; may hold a phone number. */
  readonly user: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: ReadonlyMap<string, string>;
}

/** Parses a URI, returning undefined only when there is no scheme at all. */
export function parseUri(raw: string): SipUri | undefined {
  const text = raw.trim();
  const colon = text.indexOf(':');
  if (colon <= 0 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(0, colon))) return undefined;
  const scheme = text.slice(0, colon).toLowerCase();
  let rest = text.slice(colon + 1);
  const q = rest.indexOf('?');
  if (q !== -1) rest = rest.slice(0, q);
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    const user = semi === -1 ? rest : rest.slice(0, semi);
    return { raw: text, scheme, user, host: '', port: undefined, params: semi === -1 ? new Map() : parseParams(rest.slice(semi + 1)) };
  }
  // The user part may itself contain ';' (RFC 4475 semiuri), so split at the last '@' first.
  const at = rest.lastIndexOf('@');
  let user = '';
  if (at !== -1) {
    user = rest.slice(0, at);
    const pw = user.indexOf(':');
    if (pw !== -1) user = user.slice(0, pw);
    rest = rest.slice(at + 1);
  }
  const semi = rest.indexOf(';');
  const hostport = semi === -1 ? rest : rest.slice(0, semi);
  const params = semi === -1 ? new Map<string, string>() : parseParams(rest.slice(semi + 1));
  const { host, port } = splitHostPort(hostport);
  return { raw: text, scheme, user, host, port, params };
}

/** "host", "host:5060", "[2001:db8::1]:5060" or a bare IPv6 address. */
export function splitHostPort(text: string): { host: string; port: number | undefined } {
  const t = text.trim();
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close === -1) return { host: t, port: undefined };
    const host = t.slice(1, close);
    const portText = t.slice(close + 1).replace(/^\s*:\s*/, '');
    return { host, port: toPort(portText) };
  }
  const first = t.indexOf(':');
  if (first !== -1 && first === t.lastIndexOf(':')) {
    return { host: t.slice(0, first).trim(), port: toPort(t.slice(first + 1)) };
  }
  return { host: t, port: undefined };
}

function toPort(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return undefined;
  const n = Number(t);
  return n <= 65535 ? n : undefined;
}
