import type { Card } from './card/card.js';

/** A chat channel, addressed the way its platform does. */
export interface ChannelRef {
  readonly platform: 'slack' | 'discord';
  /** Slack team id or Discord guild id; '' when unknown (DMs). */
  readonly workspace: string;
  readonly channel: string;
}

export interface OutgoingMessage {
  /** Notification and accessibility text; every platform message carries one. */
  readonly text: string;
  readonly cards: readonly Card[];
  readonly image?: { readonly png: Uint8Array; readonly filename: string; readonly alt: string };
}

export interface PostedMessage {
  readonly ref: ChannelRef;
  /** Slack message ts or Discord message id: what update() needs. */
  readonly id: string;
}

/**
 * What scheduled work (digests, spike alerts) needs from a chat platform: post into a channel and edit
 * that post later. Slack and Discord adapters implement it; the core and the store never see their SDKs.
 */
export interface ChatPoster {
  readonly platform: ChannelRef['platform'];
  post(ref: ChannelRef, message: OutgoingMessage): Promise<PostedMessage>;
  update(posted: PostedMessage, message: OutgoingMessage): Promise<void>;
  /**
   * A reply under a post (Slack: in its thread; Discord: a reply to it), for news people must be notified
   * of, such as an alert clearing. Posters without it get a plain post instead.
   */
  reply?(posted: PostedMessage, message: OutgoingMessage): Promise<PostedMessage>;
}
