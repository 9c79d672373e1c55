import type { ChannelRef } from '../core/chat-port.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../ports/store.js';

/** The part of the Store spike alerts need: a channel's settings, and who subscribed. */
export interface AlertSettingsPort {
  channelSettings(ref: ChannelRef): Promise<ChannelSettings>;
  updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings>;
  subscribers(what: 'alerts'): Promise<ChannelRef[]>;
}

/**
 * Channel settings kept in memory when no store is configured: subscriptions work until the process
 * stops, and the service says so when someone subscribes.
 */
export class MemoryAlertSettings implements AlertSettingsPort {
  readonly #settings = new Map<string, { ref: ChannelRef; settings: ChannelSettings }>();

  async channelSettings(ref: ChannelRef): Promise<ChannelSettings> {
    return this.#settings.get(refId(ref))?.settings ?? DEFAULT_CHANNEL_SETTINGS;
  }

  async updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    const settings = { ...(await this.channelSettings(ref)), ...patch };
    this.#settings.set(refId(ref), { ref, settings });
    return settings;
  }

  async subscribers(what: 'alerts'): Promise<ChannelRef[]> {
    return [...this.#settings.values()].filter((s) => s.settings[what]).map((s) => s.ref);
  }
}

export function refId(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspace}:${ref.channel}`;
}
