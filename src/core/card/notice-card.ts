import type { Card } from './card.js';

/** A short notice in card form (a file refused as too large, a setting changed), so every surface renders it. */
export function noticeCard(title: string, lines: readonly string[], tone: Card['tone'] = 'neutral'): Card {
  const [first = '', ...rest] = lines;
  return {
    kind: 'notice',
    title,
    summary: first,
    tone,
    fields: [],
    sections: rest.length === 0 ? [] : [{ title: 'Also', items: rest }],
    links: [],
  };
}
