/** "2026-11-25 12:34:56.789 UTC": times in a bundle are absolute and in UTC, as a carrier will compare them with theirs. */
export function utcText(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return 'unknown time';
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}
