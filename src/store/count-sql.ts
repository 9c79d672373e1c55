import type { CallEventKind } from '../core/triage/call-events.js';
import { hourOf } from './event-row.js';
import type { CountDimension, CountQuery, CountRow } from './store.js';

const DIMENSIONS: readonly CountDimension[] = ['hour', 'code', 'peer', 'kind', 'method'];

/** The two roll-up tables: by peer, and without the peer (far fewer rows: what most reads need). */
export interface RollupTables {
  readonly byPeer: string;
  readonly byCode: string;
}

/**
 * The roll-up query for a CountQuery, for either engine (`param(n)` writes the n-th placeholder, from 1).
 * An hour bucket is counted when its start lies in [from rounded down to the hour, to): every event at or
 * after `from`'s hour and before `to` is in, plus the rest of `to`'s hour when `to` is not on the hour.
 */
export function countSql(tables: RollupTables, q: CountQuery, param: (n: number) => string): { sql: string; params: unknown[]; dims: CountDimension[] } {
  // In the order asked for: rows are sorted by the first dimension, then the next.
  const dims = [...new Set(q.by)].filter((d) => DIMENSIONS.includes(d));
  const table = dims.includes('peer') ? tables.byPeer : tables.byCode;
  const params: unknown[] = [hourOf(q.from), q.to];
  const where = [`hour >= ${param(1)}`, `hour < ${param(2)}`];
  const list = (values: readonly string[], column: string): void => {
    const marks = values.map((v) => (params.push(v), param(params.length)));
    where.push(marks.length === 0 ? 'FALSE' : `${column} IN (${marks.join(', ')})`);
  };
  if (q.kinds !== undefined) list(q.kinds, 'kind');
  if (q.methods !== undefined) list(q.methods, 'method');
  const select = [...dims, 'SUM(count) AS count'].join(', ');
  const group = dims.length === 0 ? '' : ` GROUP BY ${dims.join(', ')} ORDER BY ${dims.join(', ')}`;
  return { sql: `SELECT ${select} FROM ${table} WHERE ${where.join(' AND ')}${group}`, params, dims };
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
