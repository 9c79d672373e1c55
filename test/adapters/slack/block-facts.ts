import type { KnownBlock } from '../../../src/adapters/slack/render-blocks.js';
import type { Facts } from '../card-facts.js';

// Slack mrkdwn as the renderer escapes it; undone here so the facts compare with the card's plain text.
const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The facts of a card as Slack's Block Kit shows them (see card-facts.ts). */
export function factsFromBlocks(blocks: readonly KnownBlock[]): Facts {
  const texts: string[] = [];
  const fields: string[] = [];
  let title = '';
  for (const b of blocks as any[]) {
    if (b.type === 'header') title = String(b.text.text).replace(/^\S+ /, '');
    if (b.type === 'section' && b.text !== undefined) texts.push(String(b.text.text));
    if (b.type === 'section' && b.fields !== undefined) for (const f of b.fields) fields.push(String(f.text));
  }
  const field = (label: string): string | undefined => {
    const f = fields.find((x) => x.startsWith(`*${label}*\n`));
    return f === undefined ? undefined : unescape(f.slice(label.length + 3));
  };
  const firstItem = (title: string): string | undefined => {
    const t = texts.find((x) => x.startsWith(`*${title}`));
    const line = t?.split('\n').find((l) => /^(\d+\.|•) /.test(l));
    return line === undefined ? undefined : unescape(line.replace(/^(\d+\.|•) /, ''));
  };
  const findingsText = texts.find((x) => x.startsWith('*Findings*'));
  const findings = (findingsText ?? '')
    .split('\n')
    .filter((l) => /^[✖▲•] \*/.test(l))
    .map((l) => unescape(l.slice(2).replace(/^\*|\*$/g, '')));
  const link = texts.map((x) => /<(https:[^|>]+)\|/.exec(x)?.[1]).find((u) => u !== undefined);
  return {
    title: unescape(title),
    owner: field('Who fixes it'),
    retry: field('Retry'),
    firstCause: firstItem('Likely causes'),
    firstCheck: firstItem('What to check'),
    findings,
    rfcUrl: link,
  };
}
