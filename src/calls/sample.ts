/**
 * Whether a call falls in the sample of `rate` (0 to 1). Decided by its Call-ID, not by chance, so that
 * every replica and every leg seen twice makes the same choice.
 */
export function sampled(callId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  let h = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) h = Math.imul(h ^ callId.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0x1_0000_0000 < rate;
}
