/**
 * Address classification for NAT findings: RFC 1918 private, RFC 6598 shared (CGNAT), loopback,
 * link-local, and IPv6 unique-local (RFC 4193) / link-local.
 */
export type AddressScope = 'private' | 'cgnat' | 'loopback' | 'link-local' | 'public' | 'name';

export function addressScope(host: string): AddressScope {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    return 'public';
  }
  if (h.includes(':')) {
    if (h === '::1') return 'loopback';
    if (/^f[cd][0-9a-f]{2}:/.test(h)) return 'private';
    if (/^fe[89ab][0-9a-f]:/.test(h)) return 'link-local';
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return addressScope(mapped[1] ?? '');
    return 'public';
  }
  return 'name';
}

/** True for addresses that cannot be reached from the public Internet. */
export function isNonRoutable(host: string): boolean {
  const s = addressScope(host);
  return s === 'private' || s === 'cgnat' || s === 'loopback' || s === 'link-local';
}

export function isIpAddress(host: string): boolean {
  return addressScope(host) !== 'name';
}
