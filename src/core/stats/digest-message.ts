import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { OutgoingMessage } from '../chat-port.js';
import { digestCard, type DigestCardOptions } from './digest-card.js';
import type { DigestModel } from './digest-model.js';
import { isoDate } from './stats-format.js';
import { uptimeLines, type WatchUptime } from '../probe/watch-state.js';

/**
 * The digest as it posts: one card, and the hourly chart as a PNG when there is something to chart (the
 * caller rasterises the SVG; the core stays free of native code). Slack's notification text is capped at
 * 3000 characters; the card title and summary are far shorter.
 */
export function digestMessage(kb: KnowledgeBase, m: DigestModel, timeZone: string, png?: Uint8Array, watched: readonly WatchUptime[] = [], options: DigestCardOptions = {}): OutgoingMessage {
  const base = digestCard(kb, m, timeZone, options);
  // Watched targets (scheduled probes) over the same day: uptime and median round trip each.
  const card = watched.length === 0 ? base : { ...base, sections: [...base.sections, { title: 'Watched targets', items: uptimeLines(watched) }] };
  const text = `${card.title}: ${card.summary}`.slice(0, 2900);
  if (png === undefined || m.failures === 0) return { text, cards: [card] };
  return {
    text,
    cards: [card],
    image: { png, filename: `sip-digest-${isoDate(m.period.to, timeZone)}.png`, alt: chartAlt(m) },
  };
}

/** What the chart shows, for screen readers and for clients that do not load images. */
export function chartAlt(m: DigestModel): string {
  const busiest = m.hours.reduce((best, b) => (total(b) > total(best) ? b : best), m.hours[0] ?? { hour: m.period.from, byClass: m.byClass, baseline: null });
  return `Bar chart of failed SIP calls per hour over the day, stacked by class (4xx ${m.byClass['4xx']}, 5xx ${m.byClass['5xx']}, 6xx ${m.byClass['6xx']}), busiest hour ${total(busiest)} failures, with the usual count per hour as a dashed line.`;
}

function total(b: { byClass: DigestModel['byClass'] }): number {
  return b.byClass['4xx'] + b.byClass['5xx'] + b.byClass['6xx'] + b.byClass.other;
}
