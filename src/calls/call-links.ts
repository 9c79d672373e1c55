import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links to kept calls, for people: a browser opening a link from chat or Grafana cannot send the
 * /metrics bearer token, so the link carries its own proof, valid until the call is pruned anyway.
 * Pure functions (no clock, no I/O): the caller passes the time in.
 */

/** What links need, from PUBLIC_URL, CALLS_LINK_SECRET and METRICS_TOKEN. */
export interface CallLinksConfig {
  /** Where people reach siptriage's HTTP server, without a trailing slash; unset: no links are made. */
  readonly publicUrl?: string;
  /** CALLS_LINK_SECRET; when unset the key is derived from the /metrics token. */
  readonly secret?: string;
}

export type CallFormat = 'ladder' | 'trace';

// A fixed label makes the derived key useless for anything else, and a link never reveals the token itself.
const DERIVE_LABEL = 'siptriage calls link v1';

/** The HMAC key for links; undefined when /calls is open (neither a link secret nor a /metrics token). */
export function linkKey(o: { readonly secret?: string | undefined; readonly token?: string | undefined }): Buffer | undefined {
  if (o.secret !== undefined) return Buffer.from(o.secret, 'utf8');
  if (o.token !== undefined) return createHmac('sha256', o.token).update(DERIVE_LABEL).digest();
  return undefined;
}

/**
 * The Call-ID as one path segment. Beyond encodeURIComponent, ! ' ( ) * are escaped too: Call-IDs may hold
 * them (RFC 3261 §25.1 "word") and a ")" would end a Discord markdown link early.
 */
export function encodeCallId(callId: string): string {
  return encodeURIComponent(callId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The link to a kept call: `${publicUrl}/calls/ID` with `?exp=&sig=` when a key is set. The signature covers
 * the decoded Call-ID, the format and the expiry, so a proxy re-encoding the path does not break it.
 */
export function signedCallUrl(o: { readonly publicUrl: string; readonly key: Buffer | undefined; readonly callId: string; readonly format?: CallFormat; readonly expiresAt: number }): string {
  const format = o.format ?? 'ladder';
  const params = new URLSearchParams();
  if (format === 'trace') params.set('format', 'trace');
  if (o.key !== undefined) {
    params.set('exp', String(o.expiresAt));
    params.set('sig', signature(o.key, o.callId, format, o.expiresAt));
  }
  const query = params.toString();
  return `${o.publicUrl}/calls/${encodeCallId(o.callId)}${query === '' ? '' : `?${query}`}`;
}

export type LinkCheck = { readonly ok: true } | { readonly ok: false; readonly code: 'missing' | 'expired' | 'invalid' };

/**
 * Whether `exp` and `sig` from a request prove a link made with `key` for this Call-ID and format, at `now`
 * (unix seconds). Compared in constant time; the answer never says which part was wrong.
 */
export function checkCallLink(o: { readonly key: Buffer; readonly callId: string; readonly format: CallFormat; readonly exp: string | null; readonly sig: string | null; readonly now: number }): LinkCheck {
  if (o.exp === null || o.sig === null) return { ok: false, code: 'missing' };
  if (!/^\d{1,12}$/.test(o.exp) || !/^[A-Za-z0-9_-]{43}$/.test(o.sig)) return { ok: false, code: 'invalid' };
  const expected = Buffer.from(signature(o.key, o.callId, o.format, Number(o.exp)), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(o.sig, 'utf8'))) return { ok: false, code: 'invalid' };
  // Checked after the signature, so an expired answer is only given for a link siptriage really made.
  return Number(o.exp) < o.now ? { ok: false, code: 'expired' } : { ok: true };
}

function signature(key: Buffer, callId: string, format: CallFormat, expiresAt: number): string {
  return createHmac('sha256', key).update(`GET /calls\n${callId}\n${format}\n${expiresAt}`).digest('base64url');
}

/** Makes links to kept calls, each valid for as long as calls are kept. */
export type CallLinker = (callId: string, format?: CallFormat) => string;

/** The linker for this configuration; undefined without PUBLIC_URL (no links are shown at all). */
export function callLinker(o: { readonly links: CallLinksConfig; readonly token: string | undefined; readonly keepDays: number; readonly now: () => number }): CallLinker | undefined {
  const publicUrl = o.links.publicUrl;
  if (publicUrl === undefined) return undefined;
  const key = linkKey({ secret: o.links.secret, token: o.token });
  return (callId, format) => signedCallUrl({ publicUrl, key, callId, ...(format === undefined ? {} : { format }), expiresAt: Math.floor(o.now() / 1000) + o.keepDays * 86_400 });
}
