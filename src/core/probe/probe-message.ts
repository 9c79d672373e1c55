import type { ProbeMethod } from './probe-request.js';
import type { ProbeTransport } from './probe-target.js';

/** Everything random or local a request needs, chosen by the caller so the text is reproducible in tests. */
export interface RequestParts {
  readonly method: ProbeMethod;
  /** Request-URI: the target as a SIP URI (RFC 3261 §8.1.1.1). */
  readonly uri: string;
  readonly transport: ProbeTransport;
  /** The address and port this request leaves from, as Via and Contact announce them. */
  readonly local: { readonly host: string; readonly port: number };
  /** Without the magic cookie: "z9hG4bK" is prefixed here (RFC 3261 §8.1.1.7). */
  readonly branch: string;
  readonly callId: string;
  readonly fromTag: string;
  readonly cseq: number;
  /** REGISTER: the address of record (From and To); others: sip:siptriage@<local host>. */
  readonly aor?: string;
  /** REGISTER: Expires (0 removes the binding, RFC 3261 §10.2.2). */
  readonly expires?: number;
  /** An Authorization or Proxy-Authorization line answering a challenge. */
  readonly authorization?: { readonly header: 'Authorization' | 'Proxy-Authorization'; readonly value: string };
  readonly userAgent: string;
}

const CRLF = '\r\n';

/**
 * One request as RFC 3261 §8.1.1 builds it: Via with a fresh branch and rport (RFC 3581, so a NATed probe
 * still gets its answer), Max-Forwards 70, From with a tag, To without, Call-ID, CSeq, Contact, and an
 * empty body (an INVITE carries a minimal SDP offer so that servers do not refuse it for a missing one).
 */
export function buildRequest(p: RequestParts): string {
  const host = p.local.host.includes(':') ? `[${p.local.host}]` : p.local.host;
  const localUri = `${p.transport === 'tls' ? 'sips' : 'sip'}:siptriage@${host}:${p.local.port}${p.transport === 'udp' || p.transport === 'tls' ? '' : `;transport=${p.transport}`}`;
  const from = p.aor ?? `sip:siptriage@${host}`;
  const body = p.method === 'INVITE' ? sdpOffer(host) : '';
  const lines = [
    `${p.method} ${p.uri} SIP/2.0`,
    `Via: SIP/2.0/${p.transport.toUpperCase()} ${host}:${p.local.port};branch=z9hG4bK${p.branch};rport`,
    'Max-Forwards: 70',
    `From: <${from}>;tag=${p.fromTag}`,
    `To: <${p.method === 'REGISTER' ? from : p.uri}>`,
    `Call-ID: ${p.callId}`,
    `CSeq: ${p.cseq} ${p.method}`,
    `Contact: <${localUri}>`,
    ...(p.expires === undefined ? [] : [`Expires: ${p.expires}`]),
    ...(p.authorization === undefined ? [] : [`${p.authorization.header}: ${p.authorization.value}`]),
    // Accept says what we can read; OPTIONS answers then describe capabilities in our terms (RFC 3261 §11.2).
    'Accept: application/sdp',
    `User-Agent: ${p.userAgent}`,
    ...(body === '' ? [] : ['Content-Type: application/sdp']),
    `Content-Length: ${new TextEncoder().encode(body).length}`,
  ];
  return `${lines.join(CRLF)}${CRLF}${CRLF}${body}`;
}

/**
 * CANCEL for an INVITE still without a final answer (RFC 3261 §9.1): same Request-URI, Call-ID, From,
 * To, the same top Via (branch included) and the CSeq number with method CANCEL.
 */
export function buildCancel(invite: RequestParts): string {
  const text = buildRequest({ ...invite, method: 'OPTIONS' });
  const [, ...rest] = text.split(CRLF);
  const headers = rest.filter((l) => !/^(?:Contact|Accept|Content-Type|Content-Length|Expires|Authorization|Proxy-Authorization):/i.test(l) && l !== '');
  return [`CANCEL ${invite.uri} SIP/2.0`, ...headers.map((l) => (l.startsWith('CSeq:') ? `CSeq: ${invite.cseq} CANCEL` : l)), 'Content-Length: 0', '', ''].join(CRLF);
}

/**
 * ACK for a non-2xx final answer to an INVITE, part of the same transaction (RFC 3261 §17.1.1.3): the To
 * header as the response gave it (with its tag).
 */
export function buildAck(invite: RequestParts, responseTo: string): string {
  const text = buildCancel(invite);
  return text
    .replace(/^CANCEL /, 'ACK ')
    .replace(/CSeq: (\d+) CANCEL/, 'CSeq: $1 ACK')
    .replace(/^To: .*$/m, `To: ${responseTo}`);
}

function sdpOffer(host: string): string {
  const addr = host.replace(/^\[|\]$/g, '');
  const ip = addr.includes(':') ? 'IP6' : 'IP4';
  // Port 9 (discard) with a=inactive: the probe offers a session no media will ever reach.
  return ['v=0', `o=siptriage 0 0 IN ${ip} ${addr}`, 's=siptriage probe', `c=IN ${ip} ${addr}`, 't=0 0', 'm=audio 9 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=inactive', ''].join(CRLF);
}
