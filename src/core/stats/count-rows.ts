import type { CallEventKind } from '../triage/call-events.js';

/**
 * The shape of the store's hourly roll-up counts, defined here so the stats model stays pure: src/store/store.ts
 * names these types as its CountQuery and CountRow, and the core never imports the store.
 */
export type RowDimension = 'hour' | 'code' | 'peer' | 'kind' | 'method';

export interface RowQuery {
  /** Milliseconds since the epoch; [from, to), rounded down to whole hours by the roll-ups. */
  readonly from: number;
  readonly to: number;
  /** Dimensions to group by, in any order; none gives one total row. */
  readonly by: readonly RowDimension[];
  /** Only these kinds (default: all). */
  readonly kinds?: readonly CallEventKind[];
  /** Only these methods (default: all), e.g. ['INVITE'] for ASR. */
  readonly methods?: readonly string[];
}

/** One group of a count; only the dimensions asked for are present. `hour` is the hour's start in ms. */
export interface CountRow {
  readonly hour?: number;
  readonly code?: number;
  readonly peer?: string | null;
  readonly kind?: CallEventKind;
  readonly method?: string;
  readonly count: number;
}

/** A named set of queries; whoever holds a store runs each one and hands back rows under the same names. */
export type RowQueries<K extends string> = Readonly<Record<K, RowQuery>>;
export type RowSets<K extends string> = Readonly<Record<K, readonly CountRow[]>>;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The response class a code is counted under: 4, 5, 6, or 0 for anything else (a 3xx treated as failure). */
export function classOf(code: number): 0 | 4 | 5 | 6 {
  const c = Math.floor(code / 100);
  return c === 4 || c === 5 || c === 6 ? c : 0;
}

export function sum(rows: readonly CountRow[], where: (r: CountRow) => boolean = () => true): number {
  let n = 0;
  for (const r of rows) if (where(r)) n += r.count;
  return n;
}

/** Sums rows by a key; rows whose key is undefined are left out. */
export function sumBy<K>(rows: readonly CountRow[], key: (r: CountRow) => K | undefined, where: (r: CountRow) => boolean = () => true): Map<K, number> {
  const out = new Map<K, number>();
  for (const r of rows) {
    if (!where(r)) continue;
    const k = key(r);
    if (k === undefined) continue;
    out.set(k, (out.get(k) ?? 0) + r.count);
  }
  return out;
}

/** Entries busiest first, ties in key order so that the result is deterministic. */
export function busiest<K extends string | number>(counts: ReadonlyMap<K, number>, limit: number): [K, number][] {
  return [...counts.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit);
}

export const isFailure = (r: CountRow): boolean => r.kind === undefined || r.kind === 'failure';
