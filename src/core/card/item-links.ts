import type { CardLink, CardSection } from './card.js';

/**
 * A section's items as lines, each with its link (card.ts itemLinks) written the platform's way, within
 * `budget` characters in all (newlines counted): links are dropped from the last item up until the lines
 * fit, so the rows themselves are never lost to their links.
 */
export function linkedItems(s: CardSection, line: (item: string, i: number, link: CardLink | undefined) => string, budget: number): string[] {
  const links = s.items.map((_, i) => s.itemLinks?.[i]);
  const lines = s.items.map((item, i) => line(item, i, links[i]));
  const size = (): number => lines.reduce((n, l) => n + l.length, 0) + Math.max(0, lines.length - 1);
  for (let i = lines.length - 1; i >= 0 && size() > budget; i--) {
    if (links[i] !== undefined) lines[i] = line(s.items[i] ?? '', i, undefined);
  }
  return lines;
}
