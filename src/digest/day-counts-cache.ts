import { DAY_MS, type CountRow, type RowQuery } from '../core/stats/count-rows.js';
import type { CountSource } from './read-rows.js';

interface Entry {
  readonly rows: readonly CountRow[];
  readonly readAt: number;
}

/**
 * Answers one shape of roll-up query (the digest's 4-week read of failures by code) from whole UTC days read
 * before. That read covers 28 days that are all more than a week old, and costs most of a digest over a big
 * store (every hour × code × peer row of 4 weeks); the next day's digest shares 27 of those days. A day is
 * read again after `ttlMs`, so events recorded late with old times (an imported capture) count within a day
 * and a half. The partial days at either end are read every time.
 */
export class DayCountsCache {
  readonly #store: CountSource;
  readonly #ttlMs: number;
  readonly #days = new Map<string, Entry>();

  constructor(store: CountSource, ttlMs = 36 * 3_600_000) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  async counts(q: RowQuery, now: number): Promise<CountRow[]> {
    const firstDay = Math.ceil(q.from / DAY_MS) * DAY_MS;
    const lastDay = Math.floor(q.to / DAY_MS) * DAY_MS;
    if (firstDay >= lastDay) return this.#store.counts(q);
    const parts: Promise<readonly CountRow[]>[] = [];
    if (q.from < firstDay) parts.push(this.#store.counts({ ...q, to: firstDay }));
    for (let day = firstDay; day < lastDay; day += DAY_MS) parts.push(this.#day(q, day, now));
    if (lastDay < q.to) parts.push(this.#store.counts({ ...q, from: lastDay }));
    this.#forget(now);
    return merge(q, (await Promise.all(parts)).flat());
  }

  async #day(q: RowQuery, day: number, now: number): Promise<readonly CountRow[]> {
    const key = `${JSON.stringify([q.by, q.kinds, q.methods])}@${day}`;
    const hit = this.#days.get(key);
    if (hit !== undefined && now - hit.readAt < this.#ttlMs) return hit.rows;
    const rows = await this.#store.counts({ ...q, from: day, to: day + DAY_MS });
    this.#days.set(key, { rows, readAt: now });
    return rows;
  }

  #forget(now: number): void {
    for (const [key, entry] of this.#days) if (now - entry.readAt >= this.#ttlMs) this.#days.delete(key);
  }
}

// Rows of several reads summed per group, as one read of the whole range would have returned them.
function merge(q: RowQuery, rows: readonly CountRow[]): CountRow[] {
  const groups = new Map<string, { row: CountRow; count: number }>();
  for (const r of rows) {
    const key = JSON.stringify(q.by.map((d) => r[d] ?? null));
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { row: r, count: r.count });
    else g.count += r.count;
  }
  return [...groups.values()].map((g) => ({ ...g.row, count: g.count }));
}
