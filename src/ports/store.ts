import type { ChannelRef } from '../core/chat-port.js';
import type { CountRow, RowDimension, RowQuery } from '../core/stats/count-rows.js';
import type { CallQuality } from '../core/media/call-quality.js';
import type { QualityQuery, QualityRow } from '../core/stats/quality-model.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { CallStore } from './call-store.js';
import type { ProbeStore } from './probe-store.js';

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

/**
 * Counts are read from the hourly roll-ups, never from raw events. Their shape is the core's (the stats model
 * reads it and must stay pure), so it is defined there once and named here as the store's own.
 */
export type CountDimension = RowDimension;
export type CountQuery = RowQuery;
export type { CountRow };

/** A call's audio quality, to be stored with its event (found by the Call-ID hash). */
export interface QualityRecord {
  readonly callIdHash: string;
  readonly quality: CallQuality;
}

export type { QualityQuery, QualityRow };

export interface StoreInfo {
  /** When this database was first created (ms): how much history there can be. */
  readonly createdAt: number;
  readonly schemaVersion: number;
}

/**
 * A scheduled digest for one destination and period, e.g. { destination: "slack:T1:C9", period: "2026-11-25" }.
 * The pair is unique in the store: whoever claims it first posts it, every other replica or retry skips it.
 */
export interface DigestKey {
  readonly destination: string;
  readonly period: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Kept calls (src/calls/): present on the real engines; fakes may leave it out. */
  readonly calls?: CallStore;
  /** Watched probe targets and their state (src/probes/): present on the real engines; fakes may leave it out. */
  readonly probes?: ProbeStore;
  /** Records call events; duplicates of a call already stored are skipped, never double-counted. */
  recordEvents(events: readonly StoredEvent[]): Promise<RecordResult>;
  recordQuery(query: QueryEvent): Promise<void>;
  /**
   * Stores each call's quality with its event; returns how many events there were to update (a call whose
   * event is not stored, or was pruned, is skipped). Optional so that fakes may leave it out.
   */
  recordQuality?(records: readonly QualityRecord[]): Promise<number>;
  /** Calls with quality in the range, by peer and MOS band (the stats and digest read). */
  qualityRows?(query: QualityQuery): Promise<QualityRow[]>;
  channelSettings(ref: ChannelRef): Promise<ChannelSettings>;
  updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings>;
  /** Channels subscribed to the daily digest or to spike alerts. */
  subscribers(what: 'digest' | 'alerts'): Promise<ChannelRef[]>;
  /** Counts of recorded events from the hourly roll-ups (the shape src/alerts/baselines.ts reads). */
  counts(query: CountQuery): Promise<CountRow[]>;
  info(): Promise<StoreInfo>;
  /**
   * Claims a digest before posting it. True for exactly one caller across processes and replicas; false
   * when it is already posted or claimed by someone else whose lease (leaseMs from their claim) has not run
   * out. An expired claim (its owner crashed mid-post) can be taken over.
   */
  claimDigest(key: DigestKey, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** Marks a claimed digest posted, for good; `messageId` is what the platform returned. */
  completeDigest(key: DigestKey, owner: string, messageId: string): Promise<void>;
  /** Gives a claim back after the post finally failed, so a later run (or catch-up) may try again. */
  releaseDigest(key: DigestKey, owner: string): Promise<void>;
  /** Deletes events and roll-ups older than `before` (ms); returns how many events went. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}
