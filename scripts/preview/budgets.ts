import { embedLength } from '../../src/adapters/discord/render-embeds.js';
import type { DiscordPost, SlackPost } from './payloads.js';

/** Every text object's text in a Block Kit payload, wherever it sits. */
export function slackTexts(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if ((o['type'] === 'mrkdwn' || o['type'] === 'plain_text') && typeof o['text'] === 'string') out.push(o['text']);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(value);
  return out;
}

export interface SlackBudget {
  readonly messages: number;
  /** Of the first message: blocks, and the characters of all its text objects. */
  readonly firstBlocks: number;
  readonly firstChars: number;
  readonly maxBlocks: number;
  readonly longestText: number;
}

export function slackBudget(posts: readonly SlackPost[]): SlackBudget {
  const first = posts[0];
  return {
    messages: posts.length,
    firstBlocks: first?.blocks.length ?? 0,
    firstChars: slackTexts(first?.blocks ?? []).reduce((n, t) => n + t.length, 0),
    maxBlocks: Math.max(0, ...posts.map((p) => p.blocks.length)),
    longestText: Math.max(0, ...posts.flatMap((p) => slackTexts(p.blocks).map((t) => t.length))),
  };
}

export interface DiscordBudget {
  readonly messages: number;
  readonly firstEmbeds: number;
  /** Embed characters of the first message, as Discord counts them. */
  readonly firstChars: number;
}

export function discordBudget(posts: readonly DiscordPost[]): DiscordBudget {
  const first = posts[0];
  return { messages: posts.length, firstEmbeds: first?.embeds.length ?? 0, firstChars: (first?.embeds ?? []).reduce((n, e) => n + embedLength(e), 0) };
}
