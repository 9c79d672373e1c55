// A capture repeats few addresses millions of times: their text is made once. Bounded: cleared when full.
const V4_TEXT = new Map<number, string>();
const V4_CACHE = 4096;

/** Dotted quad from 4 bytes. */
export function formatIpv4(b: Uint8Array, at = 0): string {
  const n = (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
  let text = V4_TEXT.get(n);
  if (text === undefined) {
    if (V4_TEXT.size >= V4_CACHE) V4_TEXT.clear();
    text = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
    V4_TEXT.set(n, text);
  }
  return text;
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
