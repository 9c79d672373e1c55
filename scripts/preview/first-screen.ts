import type { CapturedCase } from './payloads.js';
import { slackTexts } from './budgets.js';

/**
 * What must be readable on an answer's first screen, per platform: the headline, and the do-now lines when
 * the answer has them (a code answer's, or a trace summary's Do now section). From the answer model where there is one (`/sip <code>`), else from the payload's own
 * header and the line under it, so the check follows the answers as they change.
 */
export interface FirstScreenFacts {
  readonly headline: readonly string[];
  readonly doNow: readonly string[];
}

export function slackFacts(c: CapturedCase): FirstScreenFacts {
  if (c.model !== undefined) return c.model;
  const first = c.slack.find((p) => p.blocks.length > 0);
  if (first === undefined) return { headline: [], doNow: [] };
  const [head, next] = first.blocks;
  // The header, and the line under it that says what happened.
  const headline = [head, next].flatMap((b) => (b === undefined || (b['type'] !== 'header' && b['type'] !== 'section') ? [] : slackTexts(b['type'] === 'section' ? (b['text'] ?? []) : b).slice(0, 1)));
  // A trace summary's Do now section (what to do about its worst failure), when it has one.
  const doNow = first.blocks.flatMap((b) => (b['type'] === 'section' ? slackTexts(b['text'] ?? []) : [])).find((t) => t.startsWith('*Do now'));
  return { headline: headline.map(firstLine), doNow: doNow === undefined ? [] : doNowLines(doNow) };
}

export function discordFacts(c: CapturedCase): FirstScreenFacts {
  if (c.model !== undefined) return c.model;
  const embed = c.discord.find((p) => p.embeds.length > 0)?.embeds[0];
  if (embed === undefined) return { headline: [], doNow: [] };
  const doNow = embed.fields?.find((f) => f.name.startsWith('Do now'))?.value;
  return { headline: [embed.title ?? '', firstLine(embed.description ?? '')].filter((t) => t !== ''), doNow: doNow === undefined ? [] : doNowLines(doNow) };
}

/** The numbered lines of a Do now section, each as one fact ("1. Check: …"). */
function doNowLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\d+\. /.test(l));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/**
 * Text compared as a reader sees it: markup, entities, emoji, punctuation and spacing gone, lower case, so
 * that `*503*` in a payload matches the bold 503 the page draws.
 */
export function readable(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, '$2')
    .replace(/\[([^\]]+)\]\((?:https?:\/\/[^)]+)\)/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
