import type { ChannelRef } from '../../../src/core/chat-port.js';
import {
  DEFAULT_CHANNEL_SETTINGS,
  type ChannelSettings,
  type QueryEvent,
  type RecordResult,
  type Store,
  type StoredEvent,
} from '../../../src/store/store.js';

/**
 * The Store interface held in memory, standing in for the SQLite/PostgreSQL stores until they land, so the
 * Slack surface's use of the interface (settings, events, queries) is exercised. Not a mock of Slack.
 */
export class MemoryStore implements Store {
  // Reads and digest claims belong to the real stores; these stand-ins only see what the adapter writes.
  readonly counts: Store['counts'] = () => Promise.reject(new Error('not kept by this stand-in'));
  readonly info: Store['info'] = () => Promise.reject(new Error('not kept by this stand-in'));
  readonly claimDigest: Store['claimDigest'] = () => Promise.reject(new Error('not kept by this stand-in'));
  readonly completeDigest: Store['completeDigest'] = () => Promise.reject(new Error('not kept by this stand-in'));
  readonly releaseDigest: Store['releaseDigest'] = () => Promise.reject(new Error('not kept by this stand-in'));
  readonly prune: Store['prune'] = () => Promise.reject(new Error('not kept by this stand-in'));

  readonly kind = 'sqlite' as const;
  readonly events: StoredEvent[] = [];
  readonly queries: QueryEvent[] = [];
  readonly #settings = new Map<string, ChannelSettings>();

  async recordEvents(events: readonly StoredEvent[]): Promise<RecordResult> {
    let inserted = 0;
    for (const e of events) {
      if (this.events.some((x) => x.callIdHash === e.callIdHash)) continue;
      this.events.push(e);
      inserted += 1;
    }
    return { inserted, duplicates: events.length - inserted };
  }

  async recordQuery(query: QueryEvent): Promise<void> {
    this.queries.push(query);
  }

  async channelSettings(ref: ChannelRef): Promise<ChannelSettings> {
    return this.#settings.get(key(ref)) ?? DEFAULT_CHANNEL_SETTINGS;
  }

  async updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    const next = { ...(await this.channelSettings(ref)), ...patch };
    this.#settings.set(key(ref), next);
    return next;
  }

  async subscribers(): Promise<ChannelRef[]> {
    return [];
  }

  async close(): Promise<void> {}
}

function key(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspace}:${ref.channel}`;
}
