/** CSeq (RFC 3261 §20.16): the sequence number must fit in 32 bits and be below 2^31 (§8.1.1.5). */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(value: string): CSeq | undefined {
  const m = /^\s*(\d+)\s+([A-Za-z0-9.!%*_+`'~-]+)\s*$/.exec(value);
  if (!m) return undefined;
  // Overlarge numbers (RFC 4475 scalar02) still parse, so the check against MAX_CSEQ can report them.
  return { seq: Number(m[1]), method: m[2] ?? '' };
}
