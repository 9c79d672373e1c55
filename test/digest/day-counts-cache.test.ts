import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountRow, RowQuery } from '../../src/core/stats/count-rows.js';
import { digestPeriod, digestQueries } from '../../src/core/stats/digest-model.js';
import { DayCountsCache } from '../../src/digest/day-counts-cache.js';
import type { CountSource } from '../../src/digest/read-rows.js';
import type { Store } from '../../src/store/store.js';
import { sqliteStores, type TestStores } from './digest-store.js';
import { SCHEDULED, seed } from './seed-week.js';

const D = 86_400_000;
const sorted = (rows: readonly CountRow[]): CountRow[] => [...rows].sort((a, b) => (a.code ?? 0) - (b.code ?? 0));

describe('day counts cache for the 4-week read', () => {
  let stores: TestStores;
  let store: Store;
  const reads: RowQuery[] = [];
  // The real store, with the reads it is asked for written down.
  let counted: CountSource;
  beforeAll(async () => {
    stores = sqliteStores();
    store = await stores.open();
    await seed(store);
    counted = { counts: (q) => (reads.push(q), store.counts(q)), info: () => store.info() };
  });
  afterAll(() => stores.cleanup());

  it('gives what one read of the whole range gives, then reads only the partial days at the ends', async () => {
    const cache = new DayCountsCache(counted, 36 * 3_600_000);
    const q = digestQueries(digestPeriod(SCHEDULED)).earlier;
    const direct = await store.counts(q);
    // The 4 weeks before this week hold only the 480s of the 4th of November.
    expect(direct.map((r) => r.code)).toEqual([480]);
    expect(sorted(await cache.counts(q, SCHEDULED))).toEqual(sorted(direct));
    // 09:00 to 09:00, 27 days: a partial day at each end and 26 whole days between.
    expect(reads).toHaveLength(28);
    reads.length = 0;
    expect(sorted(await cache.counts(q, SCHEDULED + 60_000))).toEqual(sorted(direct));
    expect(reads.map((r) => [r.from, r.to])).toEqual([
      [q.from, Math.ceil(q.from / D) * D],
      [Math.floor(q.to / D) * D, q.to],
    ]);
  });

  it('reads one new whole day for the next day\'s digest, and every day again once they are 36 hours old', async () => {
    const cache = new DayCountsCache(counted, 36 * 3_600_000);
    await cache.counts(digestQueries(digestPeriod(SCHEDULED)).earlier, SCHEDULED);
    reads.length = 0;
    const next = digestQueries(digestPeriod(SCHEDULED + D)).earlier;
    expect(sorted(await cache.counts(next, SCHEDULED + D))).toEqual(sorted(await store.counts(next)));
    expect(reads).toHaveLength(3);
    reads.length = 0;
    // Two days on, the days read first are 48 hours old and read again; the one read yesterday is kept.
    await cache.counts(next, SCHEDULED + 2 * D);
    expect(reads).toHaveLength(2 + 25);
  });
});
