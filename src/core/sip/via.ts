import { parseParams, splitList } from './lexer.js';
import { splitHostPort } from './uri.js';

/** One Via entry (RFC 3261 §20.42, §18.2.1 received, RFC 3581 rport). */
export interface Via {
  readonly raw: string;
  readonly protocol: string;
  /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS, or whatever the sender wrote. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  /** The source address a server saw, added when it differs from sent-by (§18.2.1). */
  readonly received: string | undefined;
  /** rport: '' when requested but not filled in, the port a server saw otherwise (RFC 3581 §4). */
  readonly rport: string | undefined;
  readonly params: ReadonlyMap<string, string>;
}

export function parseVia(raw: string): Via {
  const semi = raw.indexOf(';');
  const head = semi === -1 ? raw : raw.slice(0, semi);
  const params = semi === -1 ? new Map<string, string>() : parseParams(raw.slice(semi + 1));
  // sent-protocol allows LWS around each '/' (RFC 4475 wsinv: "SIP  /   2.0 / UDP"); the rest is sent-by.
  const m = /^\s*([^\s/]+)\s*\/\s*([^\s/]+)\s*\/\s*([^\s/]+)\s*(.*)$/s.exec(head);
  const protocol = m ? `${m[1]}/${m[2]}` : '';
  const transport = m?.[3]?.toUpperCase() ?? '';
  const { host, port } = splitHostPort(m?.[4] ?? head);
  return {
    raw: raw.trim(),
    protocol,
    transport,
    host,
    port,
    branch: params.get('branch'),
    received: params.get('received'),
    rport: params.get('rport'),
    params,
  };
}

export function parseViaList(values: readonly string[]): Via[] {
  const out: Via[] = [];
  for (const value of values) for (const part of splitList(value)) out.push(parseVia(part));
  return out;
}

/** RFC 3261 §8.1.1.7: a branch starting with the magic cookie was built by an RFC 3261 element. */
export const MAGIC_COOKIE = 'z9hG4bK';
