import type { Card } from '../../src/core/card/card.js';

/**
 * The facts a person reads off an answer, whatever the platform drew: code and reason, who fixes it,
 * whether to retry, the first cause and check, the findings, the RFC link. Taken here from the Card itself;
 * each platform's tests extract the same from what their renderer drew (discord/embed-facts.ts) and compare,
 * so every surface is held to the one card.
 */
export interface Facts {
  readonly title: string;
  readonly owner: string | undefined;
  readonly retry: string | undefined;
  readonly firstCause: string | undefined;
  readonly firstCheck: string | undefined;
  readonly findings: readonly string[];
  readonly rfcUrl: string | undefined;
}

export function factsFromCard(card: Card): Facts {
  const field = (label: string): string | undefined => card.fields.find((f) => f.label === label)?.value;
  const section = (prefix: string): string | undefined => card.sections.find((s) => s.title.startsWith(prefix))?.items[0];
  return {
    title: card.title,
    owner: field('Who fixes it'),
    retry: field('Retry'),
    firstCause: section('Likely causes'),
    firstCheck: section('What to check'),
    findings: (card.findings ?? []).map((f) => f.title),
    rfcUrl: card.links[0]?.url,
  };
}
