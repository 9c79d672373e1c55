import type { APIEmbed } from 'discord.js';
import type { PreviewCase } from './cases.js';

/** A picture that went up with an answer (a ladder, a digest chart), kept for the page. */
export interface PreviewImage {
  readonly filename: string;
  readonly title?: string;
  readonly alt: string;
  readonly png: Uint8Array;
}

/** One Slack message as the service sent it: a response_url body, a chat.postMessage or the last chat.update. */
export interface SlackPost {
  /** The API call that carried it ("response_url", "chat.postMessage", "chat.update"). */
  readonly via: string;
  readonly ephemeral: boolean;
  /** Posted in the thread of another message (a paste's answer, a resolve reply, a digest's chart). */
  readonly inThread: boolean;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly images: readonly PreviewImage[];
}

/** One Discord message body as the service sent it (interaction reply, follow-up, channel post or edit). */
export interface DiscordPost {
  readonly via: string;
  readonly ephemeral: boolean;
  /** A reply to an earlier message (message_reference), as a resolved alert's notice is. */
  readonly reply: boolean;
  readonly content?: string;
  readonly embeds: readonly APIEmbed[];
  /** Action rows, as the API takes them. */
  readonly components: readonly Record<string, unknown>[];
  readonly images: readonly PreviewImage[];
}

/** What the answer model says must lead a code answer: its headline parts and do-now lines. */
export interface AnswerModel {
  readonly headline: readonly string[];
  readonly doNow: readonly string[];
}

export interface CapturedCase {
  readonly case: PreviewCase;
  /** Set for the answers that have a model (`/sip <code>`): the first screen is checked against it. */
  readonly model?: AnswerModel;
  readonly slack: readonly SlackPost[];
  readonly discord: readonly DiscordPost[];
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian), for budgets and the snapshot. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return png.byteLength < 24 ? { width: 0, height: 0 } : { width: view.getUint32(16), height: view.getUint32(20) };
}
