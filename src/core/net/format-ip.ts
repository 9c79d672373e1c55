/** Dotted quad from 4 bytes. */
export function formatIpv4(b: Uint8Array, at = 0): string {
  return `${b[at] ?? 0}.${b[at + 1] ?? 0}.${b[at + 2] ?? 0}.${b[at + 3] ?? 0}`;
}

/**
 * RFC 5952 text form from 16 bytes: lower-case hex, leading zeros dropped, the longest run of two or more
 * zero groups (the first one on a tie) shortened to "::" (§4.2), and IPv4-mapped addresses written with a
 * dotted quad (§5).
 */
export function formatIpv6(b: Uint8Array, at = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[at + 2 * i] ?? 0) << 8) | (b[at + 2 * i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${formatIpv4(b, at + 12)}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
