import type { ChannelRef } from '../core/chat-port.js';
import type { CallEvent } from '../core/triage/call-events.js';

export type { ChannelRef };

/**
 * The one persistence interface. SQLite (embedded default) and PostgreSQL (DATABASE_URL, shared by
 * replicas) implement it; everything else talks to this. Methods reject with StoreError on faults.
 */

/** Where an event or a query came from. */
export type Surface = 'slack' | 'discord' | 'console' | 'cli' | 'hep' | 'http';

export interface EventOrigin {
  readonly surface: Surface;
  readonly workspace: string | null;
  readonly channel: string | null;
}

export type StoredEvent = CallEvent & EventOrigin;

export interface ChannelSettings {
  /** Automatic triage of pasted traces (default on). */
  readonly autoTriage: boolean;
  readonly digest: boolean;
  readonly alerts: boolean;
  /**
   * Spike-alert settings of this channel (`/sip alerts threshold`, `/sip alerts quiet`); absent or null
   * means the configured defaults (ALERT_MIN_COUNT, ALERT_RATIO, ALERT_QUIET_HOURS). Optional so that stores
   * written before them still satisfy the interface; a store keeps them when it has the columns.
   */
  readonly alertMinCount?: number | null;
  readonly alertRatio?: number | null;
  /** Quiet hours as "22-07" in ALERT_TIMEZONE, or "off" for none in this channel whatever the default. */
  readonly alertQuietHours?: string | null;
}

export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = { autoTriage: true, digest: false, alerts: false };

export interface QueryEvent {
  readonly time: number;
  readonly surface: Surface;
  /** "code", "class", "search", "q850", "triage", … */
  readonly kind: string;
}

export interface RecordResult {
  readonly inserted: number;
  /** Already seen (same call pasted again, a retransmitted capture): counted once. */
  readonly duplicates: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Records call events; duplicates of a call already stored are skipped, never double-counted. */
  recordEvents(events: readonly StoredEvent[]): Promise<RecordResult>;
  recordQuery(query: QueryEvent): Promise<void>;
  channelSettings(ref: ChannelRef): Promise<ChannelSettings>;
  updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings>;
  /** Channels subscribed to the daily digest or to spike alerts. */
  subscribers(what: 'digest' | 'alerts'): Promise<ChannelRef[]>;
  close(): Promise<void>;
}
