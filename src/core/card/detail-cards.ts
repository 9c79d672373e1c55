import type { Card } from './card.js';

/**
 * Call cards a chat answer posts at once. Past a few, a thread is a wall: the summary already counts every
 * failure group, so the rest are offered, not posted.
 */
export const DETAIL_CARDS = 3;

export interface DetailCards {
  readonly shown: readonly Card[];
  /** Cards not shown: offered with a button (Slack) or counted (Discord). */
  readonly more: number;
}

/** The first `max` call cards from `offset` (cards arrive worst failure first, identical calls already collapsed). */
export function detailCards(calls: readonly Card[], offset = 0, max = DETAIL_CARDS): DetailCards {
  const shown = calls.slice(offset, offset + max);
  return { shown, more: Math.max(0, calls.length - offset - shown.length) };
}

/** "…and 4 more call cards (…)", for the line under the cards. */
export function moreCardsText(more: number, how: string): string {
  return `…and ${more} more call card${more === 1 ? '' : 's'}, one per distinct call; the summary above counts every call. ${how}`.trim();
}
