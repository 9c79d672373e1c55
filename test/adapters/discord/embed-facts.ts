import type { Card } from '../../../src/core/card/card.js';

/**
 * The facts a person reads off an answer, whatever the platform drew: code and reason, who fixes it,
 * whether to retry, the first cause and step, the findings, the RFC link. Extracted from Discord embeds
 * here, and from the Card itself, so the two can be compared (and Slack's blocks against the same Card).
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

export function factsFromEmbed(embed: any): Facts {
  const fields: any[] = embed.fields ?? [];
  const field = (name: string): string | undefined => fields.find((f) => f.name === name)?.value;
  // List fields render "1. item" or "• item", one per line.
  const firstItem = (prefix: string): string | undefined =>
    fields.find((f) => String(f.name).startsWith(prefix))?.value.split('\n').map((l: string) => l.replace(/^(\d+\.|•) /, ''))[0];
  return {
    title: embed.title,
    owner: field('Who fixes it'),
    retry: field('Retry'),
    firstCause: firstItem('Likely causes'),
    firstCheck: firstItem('What to check'),
    findings: fields.filter((f) => /^[✖▲•] /.test(f.name)).map((f) => String(f.name).slice(2)),
    rfcUrl: embed.url,
  };
}
