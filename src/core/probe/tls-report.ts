/** What a TLS probe learned about the server's certificate and the session (RFC 5922, RFC 5246/8446). */
export interface TlsReport {
  readonly protocol: string;
  readonly cipher: string;
  readonly subject: string;
  readonly issuer: string;
  /** subjectAltName entries as "DNS:sip.example.com", "URI:sip:example.com", "IP Address:192.0.2.1". */
  readonly altNames: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  /** Whole days until validTo; negative once expired. */
  readonly daysLeft: number;
  /** The chain checked against the system store or the CA configured (PROBE_TLS_CA). */
  readonly chainVerified: boolean;
  readonly chainError?: string;
  /** The SAN that matched the target under RFC 5922 §7.1, or undefined. */
  readonly matchedBy: string | undefined;
}

export interface TlsFinding {
  readonly severity: 'error' | 'warning';
  readonly code: 'tls-expired' | 'tls-not-yet-valid' | 'tls-name-mismatch' | 'tls-chain-unverified' | 'tls-expires-soon';
  readonly text: string;
}

const SOON_DAYS = 14;

/**
 * RFC 5922 §7.1: the identity is a SIP URI in subjectAltName, else a DNS name in subjectAltName, and only
 * without any SAN the subject's CN. §7.2: wildcards in a DNS SAN are not accepted for SIP domains.
 */
export function matchSipIdentity(domain: string, altNames: readonly string[], subjectCn: string | undefined): string | undefined {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const uris = altNames.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4));
  for (const uri of uris) {
    const m = /^sips?:([^;:?>]+)/i.exec(uri);
    if (m && (m[1] ?? '').toLowerCase() === d) return `URI:${uri}`;
  }
  if (uris.length === 0) {
    for (const dns of altNames.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4).toLowerCase())) {
      if (dns === d) return `DNS:${dns}`;
    }
  }
  const ips = altNames.filter((n) => n.startsWith('IP Address:')).map((n) => n.slice('IP Address:'.length).toLowerCase());
  if (ips.includes(d)) return `IP Address:${d}`;
  if (altNames.length === 0 && subjectCn !== undefined && subjectCn.toLowerCase() === d) return `CN=${subjectCn}`;
  return undefined;
}

/** Whole days from now to a certificate date, rounded down (negative when past). */
export function daysUntil(date: string, now: number): number {
  return Math.floor((Date.parse(date) - now) / 86_400_000);
}

export function tlsFindings(tls: TlsReport, target: string, now: number, validFrom = Date.parse(tls.validFrom)): TlsFinding[] {
  const out: TlsFinding[] = [];
  if (tls.daysLeft < 0) out.push({ severity: 'error', code: 'tls-expired', text: `The certificate expired on ${tls.validTo} (${-tls.daysLeft} days ago): TLS clients that check it refuse the connection.` });
  else if (tls.daysLeft < SOON_DAYS) out.push({ severity: 'warning', code: 'tls-expires-soon', text: `The certificate expires in ${tls.daysLeft} days (${tls.validTo}).` });
  if (validFrom > now) out.push({ severity: 'error', code: 'tls-not-yet-valid', text: `The certificate is not valid before ${tls.validFrom}: check the server's clock or the certificate.` });
  if (tls.matchedBy === undefined) {
    const names = tls.altNames.length === 0 ? `CN ${tls.subject}` : tls.altNames.slice(0, 6).join(', ');
    out.push({ severity: 'error', code: 'tls-name-mismatch', text: `The certificate does not name ${target} (it names ${names}); RFC 5922 §7 clients refuse it.` });
  }
  if (!tls.chainVerified) out.push({ severity: 'error', code: 'tls-chain-unverified', text: `The certificate chain does not verify${tls.chainError === undefined ? '' : ` (${tls.chainError})`}: clients without this issuer in their store refuse it.` });
  return out;
}
