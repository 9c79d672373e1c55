import type { TLSSocket } from 'node:tls';
import { daysUntil, matchSipIdentity, type TlsReport } from '../core/probe/tls-report.js';

/**
 * Reads what a finished TLS handshake says about the server: the certificate's names and dates, whether
 * its chain verified against the trusted CAs (Node's `authorized`, which does not look at names), and
 * whether it names the target as RFC 5922 §7 asks.
 */
export function inspectTls(socket: TLSSocket, target: string, now: number): TlsReport {
  const cert = socket.getPeerCertificate(false);
  const altNames = (cert.subjectaltname ?? '').split(/,\s*/).filter((n) => n !== '').slice(0, 50);
  const cn = first(cert.subject?.CN);
  const validTo = iso(cert.valid_to);
  const error = socket.authorizationError;
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    altNames,
    validFrom: iso(cert.valid_from),
    validTo,
    daysLeft: daysUntil(validTo, now),
    chainVerified: socket.authorized,
    ...(error === undefined || error === null ? {} : { chainError: String(error) }),
    matchedBy: matchSipIdentity(target, altNames, cn),
  };
}

function dn(name: Record<string, string | string[] | undefined> | undefined): string {
  if (name === undefined) return '(none)';
  return Object.entries(name).map(([k, v]) => `${k}=${first(v) ?? ''}`).join(', ').slice(0, 200) || '(empty)';
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function iso(date: string | undefined): string {
  const t = date === undefined ? NaN : Date.parse(date);
  return Number.isNaN(t) ? (date ?? 'unknown') : new Date(t).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
}
