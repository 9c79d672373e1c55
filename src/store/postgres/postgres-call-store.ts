import type pg from 'pg';
import type { CallStore, KeepLimits, KeepResult, KeptCall, KeptCallInput, KeptCallQuery, KeptCallSummary, KeptMessage } from '../../ports/call-store.js';
import { DAY_MS, dayOf } from '../event-row.js';
import { keptCallSql } from '../kept-call-query.js';
import { KEPT_COLUMNS, keptCallRow, summaryOf, type KeptCallRecord, type KeptCallRow } from '../kept-call-row.js';

export interface PgAccess {
  /** The quoted schema name, and the plain one (for catalogue lookups). */
  readonly s: string;
  readonly schema: string;
  query<R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[]): Promise<pg.QueryResult<R>>;
  transaction<T>(what: string, work: (c: pg.PoolClient) => Promise<T>): Promise<T>;
}

const TABLES = ['kept_calls', 'kept_keys', 'kept_messages'] as const;
// The tables searches plan over; kept_messages is only read by (day, call), its primary key.
const ANALYZED = ['kept_calls', 'kept_keys'] as const;
const FIRST_ANALYZE = 1000;

/** Whether a day's call count went past 1,000 or a later ×4 step (4,000, 16,000, …) with this write. */
export function crossesAnalyzeStep(before: number, after: number): boolean {
  for (let step = FIRST_ANALYZE; step <= after; step *= 4) if (before < step) return true;
  return false;
}

/**
 * Kept calls in PostgreSQL: three tables partitioned by UTC day (declarative partitioning), so that
 * retention is a DROP of a day's partitions, not a DELETE of millions of rows. A day's partitions are
 * created, under an advisory lock (replicas race for the first call of a day), before its first write.
 */
export class PostgresCallStore implements CallStore {
  readonly #a: PgAccess;
  readonly #days = new Set<number>();

  readonly #analyzing = new Set<number>();
  #analyzed: Promise<unknown> = Promise.resolve();

  constructor(access: PgAccess) {
    this.#a = access;
  }

  async keepCalls(calls: readonly KeptCallInput[], limits: KeepLimits): Promise<KeepResult> {
    const rows = calls.flatMap((c) => keptCallRow(c) ?? []);
    const invalid = calls.length - rows.length;
    if (rows.length === 0) return { kept: 0, duplicates: 0, overCap: invalid };
    const byDay = new Map<number, KeptCallRow[]>();
    for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
    for (const day of byDay.keys()) await this.#partitions(day);
    const s = this.#a.s;
    // Days in order, calls by Call-ID: concurrent writers take row locks in the same order.
    const days = [...byDay.entries()].sort(([a], [b]) => a - b);
    const grown: number[] = [];
    const r = await this.#a.transaction('keep calls', async (c) => {
      let kept = 0;
      let duplicates = 0;
      let overCap = 0;
      for (const [day, group] of days) {
        await c.query(`INSERT INTO ${s}.kept_days (day, calls, bytes) VALUES ($1, 0, 0) ON CONFLICT (day) DO NOTHING`, [day]);
        const used = Number((await c.query<{ bytes: string }>(`SELECT bytes FROM ${s}.kept_days WHERE day = $1 FOR UPDATE`, [day])).rows[0]?.bytes ?? 0);
        let room = limits.maxBytesPerDay - used;
        const admitted: KeptCallRow[] = [];
        for (const row of group.sort((a, b) => (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : a.time - b.time))) {
          if (row.bytes > room) overCap++;
          else {
            admitted.push(row);
            room -= row.bytes;
          }
        }
        if (admitted.length === 0) continue;
        const col = <K extends keyof KeptCallRow>(k: K): KeptCallRow[K][] => admitted.map((x) => x[k]);
        const inserted = await c.query<{ id: string; call_id: string; time: string }>(
          `INSERT INTO ${s}.kept_calls (day, time, call_id, kind, code, method, peer, from_user, to_user, findings, leg_keys, surface, messages, bytes)
           SELECT $1::bigint, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::bigint[])
           ON CONFLICT (day, call_id, time) DO NOTHING
           RETURNING id, call_id, time`,
          [day, col('time'), col('callId'), col('kind'), col('code'), col('method'), col('peer'), col('from'), col('to'), col('findings'), col('legKeys'), col('surface'), admitted.map((x) => x.messages.length), col('bytes')],
        );
        const fresh = new Map(inserted.rows.map((x) => [`${x.call_id}\u0000${x.time}`, x.id]));
        duplicates += admitted.length - fresh.size;
        const msg: { call: string; seq: number; m: KeptMessage }[] = [];
        const keys: { key: string; time: number; call: string }[] = [];
        let bytes = 0;
        for (const row of admitted) {
          const id = fresh.get(`${row.callId}\u0000${row.time}`);
          if (id === undefined) continue;
          bytes += row.bytes;
          row.messages.forEach((m, seq) => msg.push({ call: id, seq, m }));
          for (const key of row.keys) keys.push({ key, time: row.time, call: id });
        }
        if (msg.length > 0) {
          await c.query(
            `INSERT INTO ${s}.kept_messages (day, call, seq, time, src, dst, transport, raw)
             SELECT $1::bigint, * FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])`,
            [day, msg.map((x) => x.call), msg.map((x) => x.seq), msg.map((x) => x.m.time), msg.map((x) => x.m.src), msg.map((x) => x.m.dst), msg.map((x) => x.m.transport), msg.map((x) => x.m.raw)],
          );
        }
        if (keys.length > 0) {
          await c.query(
            `INSERT INTO ${s}.kept_keys (day, key, time, call) SELECT $1::bigint, * FROM unnest($2::text[], $3::bigint[], $4::bigint[]) ON CONFLICT DO NOTHING`,
            [day, keys.map((k) => k.key), keys.map((k) => k.time), keys.map((k) => k.call)],
          );
        }
        const after = await c.query<{ calls: string }>(`UPDATE ${s}.kept_days SET calls = calls + $2, bytes = bytes + $3 WHERE day = $1 RETURNING calls`, [day, fresh.size, bytes]);
        const total = Number(after.rows[0]?.calls ?? 0);
        if (crossesAnalyzeStep(total - fresh.size, total)) grown.push(day);
        kept += fresh.size;
      }
      return { kept, duplicates, overCap };
    });
    for (const day of grown) this.#analyze(day);
    return { ...r, overCap: r.overCap + invalid };
  }

  /**
   * Statistics for a day's partitions as they grow (1,000 calls, then each ×4). A new day has none, and
   * without them the planner takes a busy peer's list for a handful of rows and sorts the whole day (92 ms
   * at 10 M kept messages, 0.1 ms once analysed). Autovacuum would analyse too, where it is on and in time;
   * this does not wait for it. In the background, one at a time: a failed ANALYZE costs only a slower plan.
   */
  #analyze(day: number): void {
    if (this.#analyzing.has(day)) return;
    this.#analyzing.add(day);
    const s = this.#a.s;
    const tables = ANALYZED.map((t) => `${s}.${partitionName(t, day)}`).join(', ');
    this.#analyzed = this.#analyzed
      .then(() => this.#a.query('analyze kept calls', `ANALYZE ${tables}`, []))
      .catch(() => undefined)
      .finally(() => this.#analyzing.delete(day));
  }

  async findCalls(query: KeptCallQuery): Promise<KeptCallSummary[]> {
    const s = this.#a.s;
    const { sql, params } = keptCallSql({ calls: `${s}.kept_calls`, keys: `${s}.kept_keys`, partitioned: true }, query, (n) => `$${n}`);
    const { rows } = await this.#a.query<KeptCallRecord & pg.QueryResultRow>('find kept calls', sql, params);
    return rows.map((r) => {
      const { legKeys: _legs, ...summary } = summaryOf(r);
      return summary;
    });
  }

  async openCalls(callId: string): Promise<KeptCall[]> {
    const { rows } = await this.#a.query<KeptCallRecord & { day: string }>(
      'open kept calls',
      `SELECT day, ${KEPT_COLUMNS} FROM ${this.#a.s}.kept_calls WHERE call_id = $1 ORDER BY time LIMIT 16`,
      [callId],
    );
    return this.#withTraces(rows);
  }

  async legsOf(keys: readonly string[], around: number, windowMs: number): Promise<KeptCall[]> {
    if (keys.length === 0) return [];
    const cols = KEPT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ');
    const { rows } = await this.#a.query<KeptCallRecord & { day: string }>(
      'find legs',
      `SELECT DISTINCT c.day, ${cols} FROM ${this.#a.s}.kept_keys k JOIN ${this.#a.s}.kept_calls c ON c.day = k.day AND c.id = k.call
       WHERE k.key = ANY($1::text[]) AND k.time >= $2 AND k.time <= $3 AND k.day >= $4 AND k.day <= $5
       ORDER BY c.time LIMIT 16`,
      [keys.slice(0, 16).map((k) => `l:${k}`), around - windowMs, around + windowMs, dayOf(around - windowMs), dayOf(around + windowMs)],
    );
    return this.#withTraces(rows);
  }

  async pruneCalls(before: number): Promise<number> {
    const cut = dayOf(before);
    const s = this.#a.s;
    return this.#a.transaction('prune kept calls', async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`siptriage-kept:${this.#a.schema}`]);
      const parts = await c.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = $1 AND p.relname = ANY($2::text[]) AND c.relkind = 'r'`,
        [this.#a.schema, TABLES],
      );
      for (const { name } of parts.rows) {
        const day = partitionDay(name);
        if (day !== undefined && day < cut) {
          await c.query(`DROP TABLE ${s}.${name}`);
          this.#days.delete(day);
        }
      }
      const gone = await c.query<{ calls: string }>(`DELETE FROM ${s}.kept_days WHERE day < $1 RETURNING calls`, [cut]);
      return gone.rows.reduce((sum, r) => sum + Number(r.calls), 0);
    });
  }

  async keptBytes(time: number): Promise<number> {
    const { rows } = await this.#a.query<{ bytes: string }>('read kept bytes', `SELECT bytes FROM ${this.#a.s}.kept_days WHERE day = $1`, [dayOf(time)]);
    return Number(rows[0]?.bytes ?? 0);
  }

  async #withTraces(rows: readonly (KeptCallRecord & { day: string })[]): Promise<KeptCall[]> {
    if (rows.length === 0) return [];
    const { rows: msgs } = await this.#a.query<KeptMessage & { call: string; time: string }>(
      'read kept messages',
      `SELECT call, time, src, dst, transport, raw FROM ${this.#a.s}.kept_messages WHERE (day, call) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[])) ORDER BY call, seq`,
      [rows.map((r) => r.day), rows.map((r) => String(r.id))],
    );
    return rows.map((r) => ({
      ...summaryOf(r),
      trace: msgs.filter((m) => m.call === String(r.id)).map((m) => ({ time: Number(m.time), src: m.src, dst: m.dst, transport: m.transport, raw: m.raw })),
    }));
  }

  // Each day's three partitions, made once per process (and IF NOT EXISTS, under a lock, across replicas).
  async #partitions(day: number): Promise<void> {
    if (this.#days.has(day)) return;
    const s = this.#a.s;
    await this.#a.transaction('create a day of kept calls', async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`siptriage-kept:${this.#a.schema}`]);
      for (const t of TABLES) {
        await c.query(`CREATE TABLE IF NOT EXISTS ${s}.${partitionName(t, day)} PARTITION OF ${s}.${t} FOR VALUES FROM (${day}) TO (${day + DAY_MS})`);
      }
    });
    this.#days.add(day);
  }
}

/** kept_calls_d20415 for the UTC day 20415 days after the epoch (a name, not a value: digits only). */
export function partitionName(table: (typeof TABLES)[number], day: number): string {
  return `${table}_d${Math.floor(day / DAY_MS)}`;
}

function partitionDay(name: string): number | undefined {
  const m = /^kept_(?:calls|keys|messages)_d(\d+)$/.exec(name);
  return m?.[1] === undefined ? undefined : Number(m[1]) * DAY_MS;
}
