import type { WatchChange, WatchResult, WatchState, WatchUptime } from '../core/probe/watch-state.js';

/**
 * Watched probe targets and how they are doing, beside the Store (both engines implement it; methods
 * reject with StoreError on faults). Replicas sharing PostgreSQL read the same watches, claim each
 * target's slot before probing it (so it is probed once per interval whoever runs), and keep one state.
 */

/** Who asked for a watch: a channel ("slack:T1:C2") or the configuration (PROBES). */
export const CONFIG_WATCHER = 'config';

export interface Watch {
  /** The probe as `/sip probe` reads it, written one way (src/core/probe/watch-request.ts): the target's key. */
  readonly target: string;
  readonly intervalMs: number;
  readonly watcher: string;
  readonly createdAt: number;
}

export interface TargetState extends WatchState {
  readonly target: string;
  /** Alert messages posted for the current outage, by destination ("slack:T1:C2" → message id). */
  readonly alerts: Readonly<Record<string, string>>;
}

/** Probes of one target over a period: the digest's uptime and median RTT. */
export type TargetUptime = WatchUptime;

export interface RecordedResult {
  readonly state: TargetState;
  readonly change: WatchChange;
  /** When the status before this result began: how long an outage lasted, when it ends. */
  readonly previousSince: number | null;
}

export interface ProbeStore {
  /** Adds a watch, or changes its interval; true when it is new. */
  watch(w: Watch): Promise<boolean>;
  /** False when that watcher was not watching that target. */
  unwatch(watcher: string, target: string): Promise<boolean>;
  /** Every watch, or one watcher's. */
  watches(watcher?: string): Promise<Watch[]>;
  /** Replaces the configured watches (PROBES) with these, leaving channels' watches alone. */
  replaceConfigWatches(watches: readonly Watch[]): Promise<void>;
  /**
   * Claims probing `target` in `slot` (the interval number since the epoch). True for exactly one caller
   * across processes and replicas.
   */
  claimSlot(target: string, slot: number, owner: string, now: number): Promise<boolean>;
  /**
   * Takes in one probe's result: kept for the digest, and folded into the target's state (downAfter
   * failures in a row make it down). Undefined when a later slot was already taken in.
   */
  recordResult(target: string, result: WatchResult, downAfter: number): Promise<RecordedResult | undefined>;
  targetStates(): Promise<TargetState[]>;
  /** Remembers the alert messages of a target's current outage (empty when it is over). */
  setAlerts(target: string, alerts: Readonly<Record<string, string>>): Promise<void>;
  uptime(from: number, to: number): Promise<TargetUptime[]>;
  /** Forgets results and claims older than `before`, and the state of targets nobody watches. */
  pruneProbes(before: number): Promise<number>;
}
