import type { APIEmbed } from 'discord.js';
import type { Card } from '../../core/card/card.js';
import { clipWords } from './fit-text.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { embedLength, renderEmbed } from './render-embeds.js';

/** One Discord message's worth of an answer. */
export interface EmbedMessage {
  readonly content?: string;
  readonly embeds: APIEmbed[];
}

export interface RenderOptions {
  /** Most messages one answer may take (a reply and its follow-ups, or a thread's posts). */
  readonly maxMessages?: number;
  /** Text before the first message's embeds (a notice, who shared it). */
  readonly content?: string;
}

const DEFAULT_MAX_MESSAGES = 5;
// A card alone may use a whole message; in a multi-card answer each gets half, so two share a message and the
// summary of a trace is followed by its failing calls rather than by one call's every section.
const SHARED_BUDGET = Math.floor(L.embedTotal / 2);

/**
 * Cards as Discord messages: one embed per card, packed in order into messages that stay within 10 embeds and
 * 6000 embed characters each. Cards past `maxMessages` are dropped and counted in the last message's text.
 */
export function renderMessages(cards: readonly Card[], options: RenderOptions = {}): EmbedMessage[] {
  const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const budget = cards.length <= 1 ? L.embedTotal : SHARED_BUDGET;
  const messages: { embeds: APIEmbed[]; used: number }[] = [];
  let shown = 0;
  for (const card of cards) {
    const embed = renderEmbed(card, budget);
    const size = embedLength(embed);
    const last = messages[messages.length - 1];
    if (last !== undefined && last.embeds.length < L.embedsPerMessage && last.used + size <= L.embedTotal) {
      last.embeds.push(embed);
      last.used += size;
    } else if (messages.length < maxMessages) {
      messages.push({ embeds: [embed], used: size });
    } else break;
    shown++;
  }
  const dropped = cards.length - shown;
  const notes = [options.content, dropped > 0 ? `…and ${dropped} more card${dropped === 1 ? '' : 's'} not shown.` : undefined];
  return messages.map((m, i) => {
    const content = (i === 0 ? notes[0] : undefined) ?? '';
    const tail = i === messages.length - 1 ? (notes[1] ?? '') : '';
    const text = clipWords([content, tail].filter((t) => t !== '').join('\n'), L.content);
    return text === '' ? { embeds: m.embeds } : { content: text, embeds: m.embeds };
  });
}
