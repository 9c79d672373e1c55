import type { Endpoint, SipMessage } from '../sip/message.js';
import { parseUri } from '../sip/uri.js';

/** "10.0.0.1:5060", "[2001:db8::1]:5060"; without a port, the host alone. */
export function endpointText(e: Endpoint): string {
  const host = e.host.includes(':') && !e.host.startsWith('[') ? `[${e.host}]` : e.host;
  return e.port === undefined ? host : `${host}:${e.port}`;
}

/**
 * Where a request came from when the trace does not say (a raw paste): the top Via's sent-by, which the
 * sender wrote as its own address (RFC 3261 §18.2.1 compares it with the packet source for that reason).
 */
export function senderFromVia(m: SipMessage): string | undefined {
  const via = m.topVia;
  if (via === undefined || via.host === '') return undefined;
  return endpointText({ host: via.host, ...(via.port === undefined ? {} : { port: via.port }) });
}

/** Where a request went when the trace does not say: the first Route, else the Request-URI (§16.12, §8.1.2). */
export function targetOfRequest(m: SipMessage): string | undefined {
  const route = m.list('Route')[0];
  const uriText = route === undefined ? m.uri : /<([^>]*)>/.exec(route)?.[1];
  const uri = uriText === undefined ? undefined : parseUri(uriText);
  if (uri === undefined || uri.host === '') return undefined;
  return endpointText({ host: uri.host, ...(uri.port === undefined ? {} : { port: uri.port }) });
}

/** The product a host announced: the first token of Server or User-Agent ("Kamailio (5.6.3 …)" → "Kamailio"). */
export function productName(m: SipMessage): string | undefined {
  const text = m.product?.trim();
  if (text === undefined || text === '') return undefined;
  const token = text.split(/\s+/)[0] ?? text;
  return token.length > 24 ? `${token.slice(0, 23)}…` : token;
}
