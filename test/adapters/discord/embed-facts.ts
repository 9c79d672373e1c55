import type { Facts } from '../card-facts.js';

/** The facts of a card as a Discord embed shows them (see card-facts.ts). */
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
