import pg from 'pg';
import { StoreError } from '../../errors/errors.js';
import { claimLost } from '../claim-lost.js';
import { countRow, countSql } from '../count-sql.js';
import { batchRows, bounded, codeRollups, dailyRollups, dayOf, DAY_MS, HOUR_MS, hourOf, LIMITS, rollups, type EventRow } from '../event-row.js';
import { settingsPatch, settingsRow, type SettingsRow } from '../settings-row.js';
import { DEFAULT_CHANNEL_SETTINGS as DEFAULTS, type ChannelRef, type ChannelSettings, type CountQuery, type CountRow, type DigestKey, type QueryEvent, type RecordResult, type Store, type StoreInfo, type StoredEvent } from '../../ports/store.js';
import { migratePostgres, quoteIdent } from './postgres-migrations.js';
import { PostgresCallStore, type PgAccess } from './postgres-call-store.js';
import { PostgresProbeStore } from './postgres-probe-store.js';
import { QUALITY_ROWS_SQL, qualityUpdateRow } from '../quality-row.js';
import type { QualityQuery, QualityRecord, QualityRow } from '../../ports/store.js';

export interface PostgresOptions {
  readonly url: string;
  readonly schema: string;
  /** Connections at most (default 10). */
  readonly maxConnections?: number;
  /** An idle connection failed (the server restarted): the pool replaces it; this only reports it. */
  readonly onIdleError?: (err: Error) => void;
}

/**
 * The shared store: PostgreSQL through a pg Pool, so several replicas can use one database. Every write
 * that must be all-or-nothing is one transaction; the digest claim is one statement, so two replicas can
 * never both win it.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #s: string;
  readonly #where: string;
  readonly calls: PostgresCallStore;
  readonly probes: PostgresProbeStore;
  #closed = false;

  /** Connects and migrates; rejects with a StoreError that names host, port and database, never the password. */
  static async open(o: PostgresOptions): Promise<PostgresStore> {
    const where = describeUrl(o.url, o.schema);
    const pool = new pg.Pool({ connectionString: o.url, max: o.maxConnections ?? 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, application_name: 'siptriage' });
    pool.on('error', (err) => o.onIdleError?.(err));
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, o.schema, where);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw new StoreError('STORE_UNAVAILABLE', `cannot open the PostgreSQL store at ${where}: ${errorText(err)}`, { cause: err });
    }
    return new PostgresStore(pool, o.schema, where);
  }

  private constructor(pool: pg.Pool, schema: string, where: string) {
    this.#pool = pool;
    this.#s = quoteIdent(schema);
    this.#where = where;
    const access: PgAccess = {
      s: this.#s,
      schema,
      query: (what, sql, params) => this.#query(what, sql, params),
      transaction: (what, work) => this.#transaction(what, work),
    };
    this.calls = new PostgresCallStore(access);
    this.probes = new PostgresProbeStore(access);
  }

  async recordEvents(events: readonly StoredEvent[]): Promise<RecordResult> {
    const { rows, invalid } = batchRows(events);
    if (rows.length === 0) return { inserted: 0, duplicates: events.length - invalid };
    // Sorted so that concurrent batches take the unique-index locks in the same order (no deadlocks).
    const sorted = [...rows].sort((a, b) => (a.callIdHash < b.callIdHash ? -1 : a.callIdHash > b.callIdHash ? 1 : 0));
    const inserted = await this.#transaction('record events', async (c) => {
      const col = <K extends keyof EventRow>(k: K): EventRow[K][] => sorted.map((r) => r[k]);
      // unnest: one statement and one plan for any batch size, and no 65,535-parameter ceiling.
      const fresh = await c.query<{ time: string; kind: EventRow['kind']; code: number; method: string; peer: string }>(
        `INSERT INTO ${this.#s}.events (call_key, call_id_hash, time, kind, code, method, peer, product, q850, findings, surface, workspace, channel)
         SELECT * FROM unnest($13::bigint[], $1::text[], $2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[], $12::text[])
         ON CONFLICT (call_key) DO NOTHING
         RETURNING time, kind, code, method, peer`,
        [col('callIdHash'), col('time'), col('kind'), col('code'), col('method'), col('peer'), col('product'), col('q850'), col('findings'), col('surface'), col('workspace'), col('channel'), sorted.map((r) => r.callKey.toString())],
      );
      const sums = rollups(fresh.rows.map((r) => ({ hour: hourOf(Number(r.time)), kind: r.kind, code: r.code, method: r.method, peer: r.peer })));
      if (sums.length > 0) {
        await c.query(
          `INSERT INTO ${this.#s}.hourly (hour, kind, code, method, peer, count)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[])
           ON CONFLICT (hour, kind, code, method, peer) DO UPDATE SET count = hourly.count + excluded.count`,
          [sums.map((u) => u.hour), sums.map((u) => u.kind), sums.map((u) => u.code), sums.map((u) => u.method), sums.map((u) => u.peer), sums.map((u) => u.count)],
        );
        const codes = codeRollups(sums);
        await c.query(
          `INSERT INTO ${this.#s}.hourly_codes (hour, kind, code, method, count)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::bigint[])
           ON CONFLICT (hour, kind, code, method) DO UPDATE SET count = hourly_codes.count + excluded.count`,
          [codes.map((u) => u.hour), codes.map((u) => u.kind), codes.map((u) => u.code), codes.map((u) => u.method), codes.map((u) => u.count)],
        );
        const days = dailyRollups(sums);
        await c.query(
          `INSERT INTO ${this.#s}.daily (day, kind, code, method, peer, count)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[])
           ON CONFLICT (day, kind, code, method, peer) DO UPDATE SET count = daily.count + excluded.count`,
          [days.map((u) => u.day), days.map((u) => u.kind), days.map((u) => u.code), days.map((u) => u.method), days.map((u) => u.peer), days.map((u) => u.count)],
        );
      }
      return fresh.rowCount ?? fresh.rows.length;
    });
    return { inserted, duplicates: events.length - invalid - inserted };
  }

  async recordQuality(records: readonly QualityRecord[]): Promise<number> {
    const rows = records.flatMap((r) => qualityUpdateRow(r) ?? []);
    if (rows.length === 0) return 0;
    const r = await this.#query(
      'record call quality',
      `UPDATE ${this.#s}.events e SET mos = u.mos, quality = u.quality FROM unnest($1::bigint[], $2::float8[], $3::text[]) AS u(call_key, mos, quality) WHERE e.call_key = u.call_key`,
      [rows.map((x) => x.callKey.toString()), rows.map((x) => x.mos), rows.map((x) => x.quality)],
    );
    return r.rowCount ?? 0;
  }

  async qualityRows(query: QualityQuery): Promise<QualityRow[]> {
    let n = 0;
    const sql = QUALITY_ROWS_SQL.replace('{events}', `${this.#s}.events`).replace(/\?/g, () => `$${++n}`);
    const { rows } = await this.#query<{ peer: string; band: QualityRow['band']; count: string; mos_sum: number }>('read call quality', sql, [Math.floor(query.from), Math.floor(query.to)]);
    return rows.map((r) => ({ peer: r.peer === '' ? null : r.peer, band: r.band, count: Number(r.count), mosSum: Number(r.mos_sum) }));
  }

  async recordQuery(query: QueryEvent): Promise<void> {
    if (!Number.isFinite(query.time)) return;
    await this.#query('record a query', `INSERT INTO ${this.#s}.queries (time, surface, kind) VALUES ($1, $2, $3)`, [
      Math.floor(query.time),
      query.surface,
      bounded(query.kind, LIMITS.queryKind) ?? '',
    ]);
  }

  async channelSettings(ref: ChannelRef): Promise<ChannelSettings> {
    const { rows } = await this.#query<SettingsRow>('read channel settings', `${SELECT_SETTINGS} FROM ${this.#s}.channel_settings WHERE platform = $1 AND workspace = $2 AND channel = $3`, [
      ref.platform,
      ref.workspace,
      ref.channel,
    ]);
    return settingsRow(rows[0]);
  }

  async updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    return this.#transaction('update channel settings', async (c) => {
      // Make sure the row exists, then lock it: two patches at once apply one after the other.
      await c.query(
        `INSERT INTO ${this.#s}.channel_settings (platform, workspace, channel, auto_triage, digest, alerts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (platform, workspace, channel) DO NOTHING`,
        [ref.platform, ref.workspace, ref.channel, DEFAULTS.autoTriage, DEFAULTS.digest, DEFAULTS.alerts, Date.now()],
      );
      const { rows } = await c.query<SettingsRow>(`${SELECT_SETTINGS} FROM ${this.#s}.channel_settings WHERE platform = $1 AND workspace = $2 AND channel = $3 FOR UPDATE`, [
        ref.platform,
        ref.workspace,
        ref.channel,
      ]);
      const next = settingsPatch(settingsRow(rows[0]), patch);
      await c.query(
        `UPDATE ${this.#s}.channel_settings SET auto_triage = $4, digest = $5, alerts = $6, alert_min_count = $7, alert_ratio = $8, alert_quiet_hours = $9, updated_at = $10
         WHERE platform = $1 AND workspace = $2 AND channel = $3`,
        [ref.platform, ref.workspace, ref.channel, next.autoTriage, next.digest, next.alerts, next.alertMinCount, next.alertRatio, next.alertQuietHours, Date.now()],
      );
      return next;
    });
  }

  async subscribers(what: 'digest' | 'alerts'): Promise<ChannelRef[]> {
    const column = what === 'digest' ? 'digest' : 'alerts';
    const { rows } = await this.#query<{ platform: ChannelRef['platform']; workspace: string; channel: string }>(
      'read subscribers',
      `SELECT platform, workspace, channel FROM ${this.#s}.channel_settings WHERE ${column} ORDER BY platform, workspace, channel`,
      [],
    );
    return rows.map((r) => ({ platform: r.platform, workspace: r.workspace, channel: r.channel }));
  }

  async counts(query: CountQuery): Promise<CountRow[]> {
    const { sql, params, dims } = countSql({ byPeer: `${this.#s}.hourly`, byCode: `${this.#s}.hourly_codes`, byDay: `${this.#s}.daily` }, query, (n) => `$${n}`);
    const { rows } = await this.#query<Record<string, unknown>>('count events', sql, params);
    return rows.map((r) => countRow(r, dims));
  }

  async info(): Promise<StoreInfo> {
    const { rows } = await this.#query<{ created_at: string; version: number }>(
      'read store info',
      `SELECT (SELECT MIN(created_at) FROM ${this.#s}.schema_version) AS created_at, (SELECT MAX(version) FROM ${this.#s}.schema_version) AS version`,
      [],
    );
    return { createdAt: Number(rows[0]?.created_at), schemaVersion: rows[0]?.version ?? 0 };
  }

  async claimDigest(key: DigestKey, owner: string, now: number, leaseMs: number): Promise<boolean> {
    // One statement: a concurrent claimer waits on the row lock and then sees the winner's live claim, so
    // its WHERE fails and it gets no row. The owner of a live claim may renew it.
    const { rows } = await this.#query(
      'claim a digest',
      `INSERT INTO ${this.#s}.digest_claims AS d (destination, period, owner, state, lease_until, created_at, updated_at)
       VALUES ($1, $2, $3, 'claimed', $4, $5, $5)
       ON CONFLICT (destination, period) DO UPDATE SET owner = excluded.owner, state = 'claimed', lease_until = excluded.lease_until,
         message_id = NULL, updated_at = excluded.updated_at
       WHERE d.state = 'released' OR (d.state = 'claimed' AND (d.lease_until <= excluded.updated_at OR d.owner = excluded.owner))
       RETURNING owner`,
      [key.destination, key.period, owner, now + leaseMs, now],
    );
    return rows.length === 1;
  }

  async completeDigest(key: DigestKey, owner: string, messageId: string): Promise<void> {
    const r = await this.#query(
      'complete a digest',
      `UPDATE ${this.#s}.digest_claims SET state = 'posted', message_id = $1, updated_at = $2
       WHERE destination = $3 AND period = $4 AND owner = $5 AND state IN ('claimed', 'posted')`,
      [messageId, Date.now(), key.destination, key.period, owner],
    );
    if (r.rowCount === 0) throw claimLost(key, owner);
  }

  async releaseDigest(key: DigestKey, owner: string): Promise<void> {
    await this.#query(
      'release a digest',
      `UPDATE ${this.#s}.digest_claims SET state = 'released', updated_at = $1 WHERE destination = $2 AND period = $3 AND owner = $4 AND state = 'claimed'`,
      [Date.now(), key.destination, key.period, owner],
    );
  }

  async prune(before: number): Promise<number> {
    return this.#transaction('prune', async (c) => {
      const events = await c.query(`DELETE FROM ${this.#s}.events WHERE time < $1`, [before]);
      await c.query(`DELETE FROM ${this.#s}.hourly WHERE hour <= $1`, [before - HOUR_MS]);
      await c.query(`DELETE FROM ${this.#s}.hourly_codes WHERE hour <= $1`, [before - HOUR_MS]);
      // Every day with a pruned hour goes; the day the cut falls in is summed again from its kept hours, so
      // the daily table always equals the hourly one summed by day.
      const day = dayOf(before - HOUR_MS);
      await c.query(`DELETE FROM ${this.#s}.daily WHERE day <= $1`, [before - HOUR_MS]);
      await c.query(
        `INSERT INTO ${this.#s}.daily (day, kind, code, method, peer, count)
         SELECT $1::bigint, kind, code, method, peer, SUM(count) FROM ${this.#s}.hourly WHERE hour >= $1 AND hour < $2 GROUP BY kind, code, method, peer`,
        [day, day + DAY_MS],
      );
      await c.query(`DELETE FROM ${this.#s}.queries WHERE time < $1`, [before]);
      await c.query(`DELETE FROM ${this.#s}.digest_claims WHERE created_at < $1 AND state <> 'claimed'`, [before]);
      return events.rowCount ?? 0;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(what: string, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    this.#open(what);
    try {
      return await this.#pool.query<R>(sql, params);
    } catch (err) {
      throw this.#fault(what, err);
    }
  }

  async #transaction<T>(what: string, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    this.#open(what);
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw this.#fault(what, err);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.#fault(what, err);
    } finally {
      client.release();
    }
  }

  #open(what: string): void {
    if (this.#closed) throw new StoreError('STORE_CLOSED', `cannot ${what}: the store is closed`);
  }

  #fault(what: string, err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    return new StoreError('STORE_FAILED', `cannot ${what} in the PostgreSQL store at ${this.#where}: ${errorText(err)}`, { cause: err });
  }
}

const SELECT_SETTINGS = 'SELECT auto_triage, digest, alerts, alert_min_count, alert_ratio, alert_quiet_hours';

/** host:port/database (schema), for messages: never the user's password. */
export function describeUrl(url: string, schema: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'} (schema ${schema})`;
  } catch {
    return `PostgreSQL (schema ${schema})`;
  }
}

// Connection failures can be an AggregateError (one per address tried) with an empty message.
function errorText(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  const text = e.message !== undefined && e.message !== '' ? e.message : (e.errors?.[0]?.message ?? e.code ?? String(err));
  return text.split('\n')[0] ?? text;
}
