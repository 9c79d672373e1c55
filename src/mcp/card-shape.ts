import { z } from 'zod';
import type { Card } from '../core/card/card.js';
import { renderCardText } from '../core/card/render-text.js';

// How a card travels to an assistant: the card model as structured content (so it can quote fields and
// links), and the same text the terminal shows, for clients that read only text.

/** Loose on purpose: the card model grows fields, and a client must not be refused an answer for that. */
export const cardSchema = z.looseObject({
  kind: z.string(),
  title: z.string(),
  summary: z.string(),
  tone: z.string(),
  fields: z.array(z.looseObject({ label: z.string(), value: z.string() })),
  sections: z.array(z.looseObject({ title: z.string(), items: z.array(z.string()) })),
  links: z.array(z.looseObject({ label: z.string(), url: z.string() })),
});

/** Plain text, 100 columns, no colour. */
export function cardText(card: Card): string {
  return renderCardText(card, { color: false, width: 100 });
}

/** A tool's answer that is one sentence saying what was wrong with the call: isError, so the model sees it failed. */
export function toolError(message: string): { content: { type: 'text'; text: string }[]; isError: true } {
  return { content: [{ type: 'text', text: message }], isError: true };
}
