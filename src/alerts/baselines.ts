import { spikeKeys } from './spike-keys.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Fewer days than this of same-hour history is too little to call "usual"; the EWMA decides then.
const MIN_HISTORY_DAYS = 3;
const HISTORY_DAYS = 7;
const RELOAD_MS = 5 * 60_000;
// Weight of the newest window in the EWMA: about the last five windows dominate.
const ALPHA = 0.2;

/**
 * The reads a baseline needs from the store: hourly failure counts by code and by peer. This is the shape
 * of Store.counts() (src/store/store.ts, hourly roll-ups) so a Store is accepted as it is; `info` says how
 * old the data is. Kept to a structural port so alerts work with any store, or none.
 */
export interface HistorySource {
  counts(query: {
    readonly from: number;
    readonly to: number;
    readonly by: readonly ('hour' | 'code' | 'peer')[];
    readonly kinds?: readonly 'failure'[];
    readonly methods?: readonly string[];
  }): Promise<readonly { readonly hour?: number; readonly code?: number; readonly peer?: string | null; readonly count: number }[]>;
  info?(): Promise<{ readonly createdAt: number }>;
}

export interface Usual {
  /** Failures expected in one window. */
  readonly value: number;
  readonly source: 'history' | 'ewma' | 'none';
}

/**
 * What is usual for each key in one window: from the store, the mean of the same hour of the day over the
 * last 7 days; without a store or with under 3 days of data, an EWMA of past windows, which is frozen for
 * keys that are alerting so that a long spike does not become the norm.
 */
export class Baselines {
  readonly #windowMs: number;
  readonly #history: HistorySource | undefined;
  readonly #ewma = new Map<string, number>();
  #hourly: Map<string, number> | undefined;
  #hourLoaded = -1;
  #loadedAt = 0;

  constructor(windowMs: number, history?: HistorySource) {
    this.#windowMs = windowMs;
    this.#history = history;
  }

  usual(key: string): Usual {
    if (this.#hourly !== undefined) return { value: this.#hourly.get(key) ?? 0, source: 'history' };
    const e = this.#ewma.get(key);
    return e === undefined ? { value: 0, source: 'none' } : { value: e, source: 'ewma' };
  }

  get fromHistory(): boolean {
    return this.#hourly !== undefined;
  }

  /** Folds one completed window's counts into the EWMA. Keys not in `counts` had zero failures. */
  roll(counts: ReadonlyMap<string, number>, frozen: ReadonlySet<string>): void {
    for (const key of new Set([...this.#ewma.keys(), ...counts.keys()])) {
      if (frozen.has(key)) continue;
      // A key never seen before starts from zero: a new kind of failure is unusual by definition.
      const next = ALPHA * (counts.get(key) ?? 0) + (1 - ALPHA) * (this.#ewma.get(key) ?? 0);
      if (next < 0.01 && !counts.has(key)) this.#ewma.delete(key);
      else this.#ewma.set(key, next);
    }
  }

  /**
   * Reloads the same-hour history at each new hour, and every few minutes within one so that a backfill
   * counts soon after it lands. A store fault leaves the EWMA in charge.
   */
  async refresh(now: number): Promise<void> {
    if (this.#history === undefined) return;
    const hourStart = Math.floor(now / HOUR) * HOUR;
    if (hourStart === this.#hourLoaded && now - this.#loadedAt < RELOAD_MS) return;
    this.#hourLoaded = hourStart;
    this.#loadedAt = now;
    const createdAt = this.#history.info === undefined ? 0 : (await this.#history.info()).createdAt;
    const from = hourStart - HISTORY_DAYS * DAY;
    const [byCode, byPeer, registers] = await Promise.all([
      this.#history.counts({ from, to: hourStart, by: ['hour', 'code'], kinds: ['failure'] }),
      this.#history.counts({ from, to: hourStart, by: ['hour', 'peer'], kinds: ['failure'] }),
      this.#history.counts({ from, to: hourStart, by: ['hour', 'peer'], kinds: ['failure'], methods: ['REGISTER'] }),
    ]);
    // History reaches back to the store's creation or to its oldest event, whichever is earlier: events
    // imported with their own times (a backfill through /ingest) are history even in a store made today.
    const oldest = byCode.reduce((min, row) => (row.hour !== undefined && row.hour < min ? row.hour : min), createdAt);
    const days = Math.min(HISTORY_DAYS, Math.floor((hourStart - oldest) / DAY));
    if (days < MIN_HISTORY_DAYS) {
      this.#hourly = undefined;
      return;
    }
    const since = hourStart - days * DAY;
    const sameHour = (hour: number | undefined): boolean => hour !== undefined && hour >= since && (hourStart - hour) % DAY === 0;
    const totals = new Map<string, number>();
    const add = (key: string, n: number): void => void totals.set(key, (totals.get(key) ?? 0) + n);
    for (const row of byCode) {
      if (!sameHour(row.hour) || row.code === undefined) continue;
      for (const key of spikeKeys({ kind: 'failure', code: row.code, peer: null })) add(key, row.count);
    }
    for (const row of byPeer) if (sameHour(row.hour) && row.peer != null && row.peer !== '') add(`peer:${row.peer}`, row.count);
    for (const row of registers) if (sameHour(row.hour)) add(`register:${row.peer == null || row.peer === '' ? 'unknown' : row.peer}`, row.count);
    const perWindow = this.#windowMs / HOUR / days;
    this.#hourly = new Map([...totals].map(([key, n]) => [key, n * perWindow]));
  }
}
