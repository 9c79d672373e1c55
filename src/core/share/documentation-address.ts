/**
 * The address a masked host gets in a shared capture: the Redactor's pseudonym ("private-3", "public-1") turned
 * into an address reserved for documentation, so that the IP headers of call.pcap leak no more than the SIP
 * text does and still show which packets share a host. Private hosts go to TEST-NET-1 (192.0.2.0/24) and
 * 2001:db8:1::/48, public ones to TEST-NET-2 (198.51.100.0/24) and 2001:db8:2::/48 (RFC 5737, RFC 3849), with
 * the pseudonym's number as the last part: private-3 is 192.0.2.3 or 2001:db8:1::3. Past 254 hosts of one
 * scope, IPv4 continues in 198.18.0.0/15 (RFC 2544, benchmarking: never routed either).
 */
export function documentationAddress(pseudonym: string, family: 4 | 6): string | undefined {
  const m = /^(private|public)-(\d+)$/.exec(pseudonym);
  if (m === null) return undefined;
  const n = Number(m[2]);
  const isPrivate = m[1] === 'private';
  if (!Number.isSafeInteger(n) || n < 1) return undefined;
  if (family === 6) {
    // The decimal digits, four to a group, read the same as the pseudonym and stay distinct as hex groups.
    const digits = String(n);
    const groups: string[] = [];
    for (let end = digits.length; end > 0; end -= 4) groups.unshift(digits.slice(Math.max(0, end - 4), end));
    if (groups.length > 4) return undefined;
    return `2001:db8:${isPrivate ? 1 : 2}::${groups.join(':')}`;
  }
  if (n <= 254) return `${isPrivate ? '192.0.2' : '198.51.100'}.${n}`;
  if (n <= 0xffff) return `198.${isPrivate ? 18 : 19}.${n >> 8}.${n & 0xff}`;
  return undefined;
}
