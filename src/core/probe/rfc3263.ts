import type { ProbeTransport } from './probe-target.js';

interface Naptr {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly service: string;
  readonly replacement: string;
}

interface Srv {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly name: string;
}

/** RFC 3263 §4.1 service fields; SIPS+D2T is TLS over TCP. SCTP and WebSocket services are not probed. */
const SERVICES: Readonly<Record<string, ProbeTransport>> = { 'SIP+D2U': 'udp', 'SIP+D2T': 'tcp', 'SIPS+D2T': 'tls' };

export function naptrTransport(service: string): ProbeTransport | undefined {
  return SERVICES[service.toUpperCase()];
}

/**
 * The NAPTR records a client may follow, in the order it follows them: flag "s" (the replacement is an SRV
 * name), a service we speak, and for a sips: URI only SIPS+D2T (RFC 3263 §4.1); by order, then preference
 * (RFC 3403 §4.1).
 */
export function orderNaptr<T extends Naptr>(records: readonly T[], scheme: 'sip' | 'sips'): T[] {
  return records
    .filter((r) => r.flags.toLowerCase() === 's' && naptrTransport(r.service) !== undefined && (scheme === 'sip' || naptrTransport(r.service) === 'tls'))
    .sort((a, b) => a.order - b.order || a.preference - b.preference);
}

/**
 * SRV records in the order a client tries them (RFC 2782): lowest priority first. Within a priority RFC 2782
 * picks at random by weight; a probe takes the heaviest first so that its answer is the same every time.
 * A single record with target "." says the service is not offered here.
 */
export function orderSrv<T extends Srv>(records: readonly T[]): T[] {
  if (records.length === 1 && (records[0]?.name === '.' || records[0]?.name === '')) return [];
  return [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.name.localeCompare(b.name));
}

/** The SRV name for a transport (RFC 3263 §4.1, RFC 2782): _sips._tcp for TLS, _sip._tcp, _sip._udp. */
export function srvName(transport: ProbeTransport, domain: string): string {
  return `${transport === 'tls' ? '_sips._tcp' : transport === 'tcp' ? '_sip._tcp' : '_sip._udp'}.${domain}`;
}
