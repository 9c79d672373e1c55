import type { ChannelRef } from '../core/chat-port.js';

// When and where the daily digest posts. Declared by the digest, which reads it; app maps DIGEST_* onto it.

export interface DigestConfig {
  readonly cron: string;
  readonly timeZone: string;
  /** Channels named in DIGEST_SLACK_CHANNELS and DIGEST_DISCORD_CHANNELS; chat subscriptions come from the store. */
  readonly channels: readonly ChannelRef[];
}
