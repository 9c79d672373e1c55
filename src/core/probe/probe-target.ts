import { isIPv4, isIPv6 } from 'node:net';
import { fail, ok, type Result } from '../result.js';

export type ProbeTransport = 'udp' | 'tcp' | 'tls';
export const PROBE_TRANSPORTS: readonly ProbeTransport[] = ['udp', 'tcp', 'tls'];

/** Where to send a probe, as written: resolution (RFC 3263) turns it into addresses later. */
export interface ProbeTarget {
  readonly scheme: 'sip' | 'sips';
  /** Lower-case name, or an IP address without brackets. */
  readonly host: string;
  readonly hostKind: 'ipv4' | 'ipv6' | 'name';
  readonly port: number | undefined;
  /** From ;transport= or sips:; undefined leaves the choice to NAPTR/SRV (RFC 3263 §4.1). */
  readonly transport: ProbeTransport | undefined;
  /** The user part, for a REGISTER's address of record; never a password. */
  readonly user: string;
}

// RFC 1035 §2.3.4: 255 octets on the wire, 253 characters written; 63 per label.
const MAX_HOST = 253;
const MAX_LABEL = 63;
const MAX_TARGET = 512;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/**
 * Reads a probe target: `sip:`/`sips:` URI, `host`, `host:port` or `[v6]:port`, with an optional
 * `;transport=`. Each way of getting it wrong has its own code and one sentence a person can act on.
 */
export function parseProbeTarget(input: string): Result<ProbeTarget> {
  const text = input.trim().replace(/^<(.*)>$/s, '$1');
  if (text === '') return fail('probe-target-missing', 'Say what to probe: a SIP URI, a host name or an address, like sip:pbx.example.com or 203.0.113.7:5060.');
  if (text.length > MAX_TARGET) return fail('probe-target-too-long', `That target is ${text.length} characters long; a SIP host name stops at ${MAX_HOST}.`);
  if (/[\s<>"]/.test(text)) return fail('probe-target-invalid', 'A probe target is one URI or host with no spaces, like sip:pbx.example.com;transport=tcp.');

  const schemeMatch = /^([a-z][a-z0-9+.-]*):(?!\d+(?:;|$))/i.exec(text);
  let scheme: 'sip' | 'sips' = 'sip';
  let rest = text;
  if (schemeMatch) {
    const s = (schemeMatch[1] ?? '').toLowerCase();
    if (s !== 'sip' && s !== 'sips') return fail('probe-scheme', `"${clip(s)}:" is not a SIP URI scheme: probe a sip: or sips: URI, or a plain host name.`);
    scheme = s;
    rest = text.slice(schemeMatch[0].length);
  }
  // Headers (?…) are not part of where a request goes (RFC 3261 §19.1.1).
  const q = rest.indexOf('?');
  if (q !== -1) rest = rest.slice(0, q);
  let user = '';
  const at = rest.lastIndexOf('@');
  if (at !== -1) {
    // A password in the URI is never used, nor kept (RFC 3261 §19.1.1 deprecates it).
    user = rest.slice(0, at).split(':')[0] ?? '';
    rest = rest.slice(at + 1);
  }
  const [hostport = '', ...paramParts] = rest.split(';');
  const params = new Map(paramParts.filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    return eq === -1 ? [p.toLowerCase(), ''] : [p.slice(0, eq).toLowerCase(), p.slice(eq + 1)];
  }));

  const hp = splitTargetHostPort(hostport);
  if (!hp.ok) return hp;
  const { host, port } = hp.value;
  if (host === '') return fail('probe-host-missing', `"${clip(text)}" names no host: give one, like sip:pbx.example.com or sip:203.0.113.7:5060.`);
  const kind = hostKind(host);
  if (kind === 'name') {
    const checked = checkName(host);
    if (!checked.ok) return checked;
  }

  let transport: ProbeTransport | undefined;
  const t = params.get('transport');
  if (t !== undefined) {
    const parsed = parseTransport(t);
    if (!parsed.ok) return parsed;
    transport = parsed.value;
  }
  if (scheme === 'sips') {
    // RFC 3261 §26.2.2: a SIPS URI is reached over TLS on every hop.
    if (transport === 'udp' || transport === 'tcp') return fail('probe-sips-transport', `A sips: URI is only reached over TLS, so ;transport=${transport} contradicts it: use sip: for ${transport.toUpperCase()}.`);
    transport = 'tls';
  }
  return ok({ scheme, host, hostKind: kind, port, transport, user: user.slice(0, 64) });
}

/** "udp", "TCP", "tls": anything else is refused with the list of what works. */
export function parseTransport(text: string): Result<ProbeTransport> {
  const t = text.trim().toLowerCase();
  if ((PROBE_TRANSPORTS as readonly string[]).includes(t)) return ok(t as ProbeTransport);
  if (t === '') return fail('probe-transport-missing', 'Name a transport after transport=: udp, tcp or tls.');
  if (t === 'ws' || t === 'wss' || t === 'sctp') return fail('probe-transport-unsupported', `Probing over ${t.toUpperCase()} is not supported: use udp, tcp or tls.`);
  return fail('probe-transport-unknown', `"${clip(t)}" is not a SIP transport: use udp, tcp or tls.`);
}

function splitTargetHostPort(text: string): Result<{ host: string; port: number | undefined }> {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return fail('probe-host-invalid', 'An IPv6 address in brackets needs its closing "]", like [2001:db8::1]:5060.');
    host = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return fail('probe-host-invalid', 'After an IPv6 address in brackets only a :port may follow.');
    if (after !== '') portText = after.slice(1);
    if (!isIPv6(host)) return fail('probe-host-invalid', `"${clip(host)}" in brackets is not an IPv6 address.`);
  } else if (isIPv6(text)) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon !== -1) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  if (portText === undefined) return ok({ host: host.toLowerCase(), port: undefined });
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return fail('probe-port-invalid', `"${clip(portText)}" is not a port: use a number from 1 to 65535, like :5060.`);
  }
  return ok({ host: host.toLowerCase(), port: Number(portText) });
}

function hostKind(host: string): ProbeTarget['hostKind'] {
  if (isIPv4(host)) return 'ipv4';
  if (isIPv6(host)) return 'ipv6';
  return 'name';
}

function checkName(host: string): Result<true> {
  if (host.length > MAX_HOST) return fail('probe-host-too-long', `That host name is ${host.length} characters long; DNS names stop at ${MAX_HOST} (RFC 1035).`);
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  // Something shaped like an address but not one (300.1.1.1) is a typo, not a name to look up.
  if (/^[\d.]+$/.test(name)) return fail('probe-host-invalid', `"${clip(host)}" is not a valid IPv4 address.`);
  for (const label of name.split('.')) {
    if (label.length > MAX_LABEL) return fail('probe-host-too-long', `A part of that host name is ${label.length} characters long; DNS allows ${MAX_LABEL} between dots (RFC 1035).`);
    if (!LABEL.test(label)) return fail('probe-host-invalid', `"${clip(host)}" is not a host name: use letters, digits, hyphens and dots, like pbx.example.com.`);
  }
  return ok(true);
}

/** Echoed text is cut short: a bad target must not turn the answer into a wall of its own text. */
export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** How the target is written back in answers: sip:host:port;transport=x. */
export function formatTarget(t: ProbeTarget): string {
  const host = t.hostKind === 'ipv6' ? `[${t.host}]` : t.host;
  const port = t.port === undefined ? '' : `:${t.port}`;
  const transport = t.transport === undefined || t.scheme === 'sips' ? '' : `;transport=${t.transport}`;
  return `${t.scheme}:${host}${port}${transport}`;
}
