import type { ChannelRef } from '../core/chat-port.js';

/**
 * Where a digest goes: channels subscribed in chat (the store) and channels named in DIGEST_*_CHANNELS, each
 * once. A channel id is unique on its platform, so the same channel named with and without its workspace is
 * one destination; the ref that knows the workspace is kept.
 */
export function digestDestinations(subscribed: readonly ChannelRef[], configured: readonly ChannelRef[]): ChannelRef[] {
  const byKey = new Map<string, ChannelRef>();
  for (const ref of [...subscribed, ...configured]) {
    const key = destinationKey(ref);
    const seen = byKey.get(key);
    if (seen === undefined || (seen.workspace === '' && ref.workspace !== '')) byKey.set(key, ref);
  }
  return [...byKey.values()];
}

/**
 * The destination half of a digest claim: "slack:C0123ABCD", "discord:1234…". Keyed by channel alone so that a
 * channel named in DIGEST_SLACK_CHANNELS without its team and subscribed in chat (with it) is claimed once.
 */
export function destinationKey(ref: ChannelRef): string {
  return `${ref.platform}:${ref.channel}`;
}
