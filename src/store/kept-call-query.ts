import type { KeptCallQuery } from '../ports/call-store.js';
import { dayOf } from './event-row.js';
import { KEPT_COLUMNS } from './kept-call-row.js';

export interface KeptTables {
  readonly calls: string;
  readonly keys: string;
  /** PostgreSQL: also bound `day`, so that only the partitions of the period are read. */
  readonly partitioned: boolean;
}

const MAX_LIMIT = 500;

/**
 * The SQL of a kept-call search for either engine (`p(n)` writes the n-th placeholder). A number search
 * starts from the key index (number, time) and joins the calls; the others read kept_calls through the
 * index that matches (Call-ID, code or peer, each with time), newest first, then by id: the order a cursor
 * (`after`) continues.
 */
export function keptCallSql(t: KeptTables, q: KeptCallQuery, p: (n: number) => string): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const add = (v: unknown): string => {
    params.push(v);
    return p(params.length);
  };
  const where: string[] = [];
  const viaKeys = q.number !== undefined;
  const timeCol = viaKeys ? 'k.time' : 'c.time';
  // kept_keys.call is the call's id: ordering by it lets a number search read its index in order.
  const idCol = viaKeys ? 'k.call' : 'c.id';
  if (viaKeys) where.push(`k.key = ${add(`n:${q.number}`)}`);
  where.push(`${timeCol} >= ${add(Math.floor(q.from))}`, `${timeCol} < ${add(Math.floor(q.to))}`);
  if (q.after !== undefined) {
    // The list's own order (time DESC, id DESC) continued past the cursor row. Spelled out rather than as a row
    // value so both engines keep reading the time index, bounded above by the cursor's time. SQLite's "?" is
    // positional, so the time is bound twice.
    const t = Math.floor(q.after.time);
    where.push(`(${timeCol} < ${add(t)} OR (${timeCol} = ${add(t)} AND ${idCol} < ${add(q.after.id)}))`);
  }
  if (t.partitioned) {
    const dayCol = viaKeys ? 'k.day' : 'c.day';
    where.push(`${dayCol} >= ${add(dayOf(q.from))}`, `${dayCol} <= ${add(dayOf(q.to))}`);
  }
  if (q.callId !== undefined) where.push(`c.call_id = ${add(q.callId)}`);
  if (q.code !== undefined) where.push(`c.code = ${add(q.code)}`);
  if (q.codeClass !== undefined) where.push(`c.code >= ${add(q.codeClass * 100)}`, `c.code < ${add(q.codeClass * 100 + 100)}`);
  if (q.peer !== undefined) where.push(`c.peer = ${add(q.peer)}`);
  if (q.kind !== undefined) where.push(`c.kind = ${add(q.kind)}`);
  const limit = add(Math.max(1, Math.min(MAX_LIMIT, Math.floor(q.limit))));
  const cols = KEPT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ');
  const from = viaKeys ? `${t.keys} k JOIN ${t.calls} c ON c.id = k.call${t.partitioned ? ' AND c.day = k.day' : ''}` : `${t.calls} c`;
  return { sql: `SELECT ${cols} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${timeCol} DESC, ${idCol} DESC LIMIT ${limit}`, params };
}
