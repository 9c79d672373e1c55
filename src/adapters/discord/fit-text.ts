/**
 * Cutting text to a platform limit without breaking it mid-line: whole lines are kept while they fit and the
 * rest is counted in a last line, "…and N more". A single line longer than the limit is cut at a word.
 */

export function moreLine(n: number): string {
  return `…and ${n} more`;
}

/** Joins as many whole lines as fit in `max` characters, counting what was left out. */
export function fitLines(lines: readonly string[], max: number): string {
  const all = lines.join('\n');
  if (all.length <= max) return all;
  let kept = 0;
  let used = 0;
  while (kept < lines.length) {
    const next = used + (kept === 0 ? 0 : 1) + (lines[kept]?.length ?? 0);
    // Room must remain for the "…and N more" line that follows whatever is kept.
    if (next + 1 + moreLine(lines.length - kept - 1).length > max) break;
    used = next;
    kept++;
  }
  const omitted = lines.length - kept;
  if (kept > 0) return `${lines.slice(0, kept).join('\n')}\n${moreLine(omitted)}`;
  // Not even the first line fits whole: show its start, so the text is never just a count.
  const note = omitted > 1 ? `\n${moreLine(omitted - 1)}` : '';
  return `${clipWords(lines[0] ?? '', max - note.length)}${note}`;
}

/** Cuts one line at the last word boundary that fits, marking the cut with an ellipsis. */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
