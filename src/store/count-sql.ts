import type { CallEventKind } from '../core/triage/call-events.js';
import { DAY_MS, dayOf, HOUR_MS, hourOf } from './event-row.js';
import type { CountDimension, CountQuery, CountRow } from '../ports/store.js';

const DIMENSIONS: readonly CountDimension[] = ['hour', 'code', 'peer', 'kind', 'method'];

/** The roll-up tables: by peer, without the peer (far fewer rows: what most reads need), and by peer per UTC day. */
export interface RollupTables {
  readonly byPeer: string;
  readonly byCode: string;
  readonly byDay: string;
}

/**
 * Below this span a by-peer read stays on the hourly table: the daily path runs three reads instead of one,
 * which only pays once whole days replace 24 hourly rows each.
 */
export const DAILY_MIN_SPAN_MS = 2 * DAY_MS;

/**
 * The roll-up query for a CountQuery, for either engine (`param(n)` writes the n-th placeholder, from 1).
 * An hour bucket is counted when its start lies in [from rounded down to the hour, to): every event at or
 * after `from`'s hour and before `to` is in, plus the rest of `to`'s hour when `to` is not on the hour.
 *
 * A read grouped by peer and not by hour over two days or more takes the whole UTC days in the middle from
 * the daily roll-up and the partial days at both edges from the hourly one, summed by key in the same
 * statement: the same hour buckets, so the same answer, from ~24 times fewer rows in the middle. Reads not
 * grouped by peer stay on the peerless hourly roll-up, which is already smaller than the daily one by peer.
 */
export function countSql(tables: RollupTables, q: CountQuery, param: (n: number) => string): { sql: string; params: unknown[]; dims: CountDimension[] } {
  // In the order asked for: rows are sorted by the first dimension, then the next.
  const dims = [...new Set(q.by)].filter((d) => DIMENSIONS.includes(d));
  const params: unknown[] = [];
  const bind = (v: unknown): string => (params.push(v), param(params.length));
  // Filters bind their values afresh for each part, so every engine sees plain positional parameters.
  const filters = (): string[] => {
    const where: string[] = [];
    const list = (values: readonly string[], column: string): void => {
      where.push(values.length === 0 ? 'FALSE' : `${column} IN (${values.map(bind).join(', ')})`);
    };
    if (q.kinds !== undefined) list(q.kinds, 'kind');
    if (q.methods !== undefined) list(q.methods, 'method');
    return where;
  };
  const group = dims.length === 0 ? '' : ` GROUP BY ${dims.join(', ')}`;
  const order = dims.length === 0 ? '' : ` ORDER BY ${dims.join(', ')}`;
  const select = [...dims, 'SUM(count) AS count'].join(', ');

  const first = hourOf(q.from);
  // The hour buckets counted are those in [first, end): `to` rounded up to the hour.
  const end = hourOf(q.to) === q.to ? q.to : hourOf(q.to) + HOUR_MS;
  const firstDay = dayOf(first) === first ? first : dayOf(first) + DAY_MS;
  const lastDay = dayOf(end);
  if (dims.includes('peer') && !dims.includes('hour') && end - first >= DAILY_MIN_SPAN_MS && firstDay < lastDay) {
    const part = (table: string, column: string, from: number, to: number): string =>
      `SELECT ${select} FROM ${table} WHERE ${[`${column} >= ${bind(from)}`, `${column} < ${bind(to)}`, ...filters()].join(' AND ')}${group}`;
    const parts = [part(tables.byPeer, 'hour', first, firstDay), part(tables.byDay, 'day', firstDay, lastDay), part(tables.byPeer, 'hour', lastDay, end)];
    return { sql: `SELECT ${select} FROM (${parts.join(' UNION ALL ')}) AS parts${group}${order}`, params, dims };
  }

  const table = dims.includes('peer') ? tables.byPeer : tables.byCode;
  const where = [`hour >= ${bind(first)}`, `hour < ${bind(q.to)}`, ...filters()];
  return { sql: `SELECT ${select} FROM ${table} WHERE ${where.join(' AND ')}${group}${order}`, params, dims };
}

/** A database row of that query as a CountRow; drivers hand back numbers or numeric strings. */
export function countRow(row: Record<string, unknown>, dims: readonly CountDimension[]): CountRow {
  const out: { -readonly [K in keyof CountRow]: CountRow[K] } = { count: Number(row['count'] ?? 0) };
  for (const d of dims) {
    const v = row[d];
    if (d === 'hour') out.hour = Number(v);
    else if (d === 'code') out.code = Number(v);
    else if (d === 'peer') out.peer = v === '' || v == null ? null : String(v);
    else if (d === 'kind') out.kind = String(v) as CallEventKind;
    else out.method = String(v);
  }
  return out;
}
