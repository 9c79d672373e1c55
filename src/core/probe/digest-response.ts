import { createHash } from 'node:crypto';
import { parseAuthParams } from '../sip/lexer.js';

/** A digest challenge as a client must answer it (RFC 3261 §22.4, RFC 7616 §3.4, RFC 8760). */
export interface DigestChallenge {
  readonly header: 'WWW-Authenticate' | 'Proxy-Authenticate';
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: 'MD5' | 'SHA-256';
  readonly qop: 'auth' | undefined;
  readonly opaque: string | undefined;
}

const ALGORITHMS: Readonly<Record<string, DigestChallenge['algorithm']>> = { md5: 'MD5', 'sha-256': 'SHA-256' };
const HASH = { MD5: 'md5', 'SHA-256': 'sha256' } as const;

/**
 * Picks the challenge to answer from those offered. RFC 8760 §2.4: a server lists its preferred algorithm
 * first and a client answers the first it supports; MD5 is what a challenge without algorithm= means.
 * Challenges asking only for auth-int, or for an algorithm we lack (SHA-512-256, *-sess), are skipped.
 */
export function chooseChallenge(offered: readonly { header: 'WWW-Authenticate' | 'Proxy-Authenticate'; value: string }[]): DigestChallenge | { readonly unsupported: string } {
  const seen: string[] = [];
  for (const { header, value } of offered) {
    const m = /^\s*Digest\s+(.*)$/is.exec(value);
    if (m === null) {
      seen.push(value.trim().split(/\s/)[0] ?? '?');
      continue;
    }
    const p = parseAuthParams(m[1] ?? '');
    const algorithmText = p.get('algorithm') ?? 'MD5';
    const algorithm = ALGORITHMS[algorithmText.toLowerCase()];
    const qops = (p.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== '');
    seen.push(algorithmText);
    if (algorithm === undefined || (qops.length > 0 && !qops.includes('auth'))) continue;
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    if (realm === undefined || nonce === undefined) continue;
    return { header, realm, nonce, algorithm, qop: qops.length === 0 ? undefined : 'auth', opaque: p.get('opaque') };
  }
  return { unsupported: seen.join(', ') || 'none' };
}

/**
 * The Authorization (or Proxy-Authorization) value: response = H(H(user:realm:pass):nonce[:nc:cnonce:qop]:H(method:uri))
 * (RFC 7616 §3.4.1, as RFC 8760 applies it to SIP). The password goes in, only the hash comes out.
 */
export function digestAuthorization(c: DigestChallenge, a: { readonly username: string; readonly password: string; readonly method: string; readonly uri: string; readonly cnonce: string; readonly nc: number }): string {
  const h = (text: string): string => createHash(HASH[c.algorithm]).update(text, 'utf8').digest('hex');
  const ha1 = h(`${a.username}:${c.realm}:${a.password}`);
  const ha2 = h(`${a.method}:${a.uri}`);
  const nc = a.nc.toString(16).padStart(8, '0');
  const response = c.qop === undefined ? h(`${ha1}:${c.nonce}:${ha2}`) : h(`${ha1}:${c.nonce}:${nc}:${a.cnonce}:${c.qop}:${ha2}`);
  const q = (v: string): string => `"${v.replace(/["\\]/g, '\\$&')}"`;
  return [
    `Digest username=${q(a.username)}`,
    `realm=${q(c.realm)}`,
    `nonce=${q(c.nonce)}`,
    `uri=${q(a.uri)}`,
    `response=${q(response)}`,
    `algorithm=${c.algorithm}`,
    ...(c.qop === undefined ? [] : [`qop=${c.qop}`, `nc=${nc}`, `cnonce=${q(a.cnonce)}`]),
    ...(c.opaque === undefined ? [] : [`opaque=${q(c.opaque)}`]),
  ].join(', ');
}
