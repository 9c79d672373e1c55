import type { CountRow, RowQueries, RowSets } from '../core/stats/count-rows.js';
import type { Store } from '../ports/store.js';

/** What the stats and digest read from a store: hourly roll-up counts, and how old the recording is. */
export type CountSource = Pick<Store, 'counts' | 'info'>;

/** Runs a named set of roll-up queries side by side and returns the rows under the same names. */
export async function readRows<K extends string>(store: CountSource, queries: RowQueries<K>): Promise<RowSets<K>> {
  const names = Object.keys(queries) as K[];
  const rows = await Promise.all(names.map((name) => store.counts(queries[name])));
  const out = {} as Record<K, readonly CountRow[]>;
  names.forEach((name, i) => (out[name] = rows[i] ?? []));
  return out;
}
