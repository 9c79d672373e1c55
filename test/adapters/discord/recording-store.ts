import { DEFAULT_CHANNEL_SETTINGS, type ChannelRef, type ChannelSettings, type QueryEvent, type RecordResult, type Store, type StoredEvent } from '../../../src/store/store.js';

/**
 * A Store that keeps what it is given in arrays, for checking what the Discord surface records. It stands
 * in for the SQLite/PostgreSQL stores, which are another helper's work and not on main yet; `failing` makes
 * every write reject, as a store that is down does.
 */
export class RecordingStore implements Store {
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
  failing = false;

  async recordEvents(events: readonly StoredEvent[]): Promise<RecordResult> {
    this.#check();
    this.events.push(...events);
    return { inserted: events.length, duplicates: 0 };
  }

  async recordQuery(query: QueryEvent): Promise<void> {
    this.#check();
    this.queries.push(query);
  }

  async channelSettings(ref: ChannelRef): Promise<ChannelSettings> {
    return this.#settings.get(key(ref)) ?? DEFAULT_CHANNEL_SETTINGS;
  }

  async updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    this.#check();
    const next = { ...(await this.channelSettings(ref)), ...patch };
    this.#settings.set(key(ref), next);
    return next;
  }

  async subscribers(): Promise<ChannelRef[]> {
    return [];
  }

  async close(): Promise<void> {}

  #check(): void {
    if (this.failing) throw Object.assign(new Error('store unavailable'), { code: 'STORE_UNAVAILABLE' });
  }
}

const key = (ref: ChannelRef): string => `${ref.platform}:${ref.workspace}:${ref.channel}`;
