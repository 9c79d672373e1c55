import type pg from 'pg';
import type { Migration } from '../schema-version.js';
import { knownVersion, refuseNewer } from '../schema-version.js';

/**
 * The PostgreSQL schema, version by version, the same tables as SQLite's (see sqlite-migrations.ts). `{s}`
 * stands for the quoted schema name. Times are milliseconds since the epoch, as BIGINT.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, hourly roll-ups, queries, channel settings, digest claims',
    sql: `
      CREATE TABLE {s}.events (
        call_id_hash TEXT NOT NULL PRIMARY KEY,
        time BIGINT NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        peer TEXT NOT NULL,
        product TEXT,
        q850 INTEGER,
        findings TEXT NOT NULL,
        surface TEXT NOT NULL,
        workspace TEXT,
        channel TEXT
      );
      CREATE INDEX events_time ON {s}.events (time);
      CREATE TABLE {s}.hourly (
        hour BIGINT NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        peer TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (hour, kind, code, method, peer)
      );
      CREATE TABLE {s}.queries (
        id BIGSERIAL PRIMARY KEY,
        time BIGINT NOT NULL,
        surface TEXT NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE INDEX queries_time ON {s}.queries (time);
      CREATE TABLE {s}.channel_settings (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        auto_triage BOOLEAN NOT NULL,
        digest BOOLEAN NOT NULL,
        alerts BOOLEAN NOT NULL,
        alert_min_count INTEGER,
        alert_ratio DOUBLE PRECISION,
        alert_quiet_hours TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (platform, workspace, channel)
      );
      CREATE TABLE {s}.digest_claims (
        destination TEXT NOT NULL,
        period TEXT NOT NULL,
        owner TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'posted', 'released')),
        lease_until BIGINT NOT NULL,
        message_id TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (destination, period)
      );
    `,
  },
  {
    version: 2,
    name: 'events deduplicated on a 64-bit call key; roll-ups without the peer for reads that do not need it',
    // The key is callKey() (src/store/call-key.ts) in SQL: the first 16 hex digits of the hash, or of its sha256.
    sql: `
      ALTER TABLE {s}.events DROP CONSTRAINT events_pkey;
      ALTER TABLE {s}.events ADD COLUMN call_key BIGINT;
      UPDATE {s}.events SET call_key = ('x' || substr(CASE WHEN call_id_hash ~ '^[0-9a-fA-F]{16}' THEN call_id_hash
        ELSE encode(sha256(convert_to(call_id_hash, 'UTF8')), 'hex') END, 1, 16))::bit(64)::bigint;
      DELETE FROM {s}.events a USING {s}.events b WHERE a.call_key = b.call_key AND a.ctid > b.ctid;
      ALTER TABLE {s}.events ALTER COLUMN call_key SET NOT NULL;
      ALTER TABLE {s}.events ADD CONSTRAINT events_call_key UNIQUE (call_key);
      CREATE TABLE {s}.hourly_codes (
        hour BIGINT NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (hour, kind, code, method)
      );
      INSERT INTO {s}.hourly_codes (hour, kind, code, method, count) SELECT hour, kind, code, method, SUM(count) FROM {s}.hourly GROUP BY hour, kind, code, method;
    `,
  },
  {
    version: 3,
    name: 'a daily roll-up by peer, so that reads of a week or a month grouped by peer read days, not hours',
    // day = the start of the hour's UTC day (ms); the double modulo keeps it right before 1970 too.
    sql: `
      CREATE TABLE {s}.daily (
        day BIGINT NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        peer TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, kind, code, method, peer)
      );
      INSERT INTO {s}.daily (day, kind, code, method, peer, count)
        SELECT hour - ((hour % 86400000) + 86400000) % 86400000 AS day, kind, code, method, peer, SUM(count) FROM {s}.hourly
        GROUP BY 1, kind, code, method, peer;
    `,
  },
  {
    version: 4,
    name: 'kept calls in daily partitions: the messages of failing calls from live traffic',
    // Declarative partitions by UTC day (ms): retention drops whole days instead of deleting rows. A day's
    // partitions are made when its first calls arrive (postgres-call-store.ts).
    sql: `
      CREATE SEQUENCE {s}.kept_call_ids;
      CREATE TABLE {s}.kept_calls (
        day BIGINT NOT NULL,
        id BIGINT NOT NULL DEFAULT nextval('{s}.kept_call_ids'),
        time BIGINT NOT NULL,
        call_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        peer TEXT NOT NULL,
        from_user TEXT,
        to_user TEXT,
        findings TEXT NOT NULL,
        leg_keys TEXT NOT NULL,
        surface TEXT NOT NULL,
        messages INTEGER NOT NULL,
        bytes BIGINT NOT NULL,
        PRIMARY KEY (day, id),
        UNIQUE (day, call_id, time)
      ) PARTITION BY RANGE (day);
      CREATE INDEX kept_calls_call_id ON {s}.kept_calls (call_id);
      CREATE INDEX kept_calls_time ON {s}.kept_calls (time);
      CREATE INDEX kept_calls_code ON {s}.kept_calls (code, time);
      CREATE INDEX kept_calls_peer ON {s}.kept_calls (peer, time);
      CREATE TABLE {s}.kept_keys (
        day BIGINT NOT NULL,
        key TEXT NOT NULL,
        time BIGINT NOT NULL,
        call BIGINT NOT NULL,
        PRIMARY KEY (day, key, time, call)
      ) PARTITION BY RANGE (day);
      CREATE INDEX kept_keys_key ON {s}.kept_keys (key, time);
      CREATE TABLE {s}.kept_messages (
        day BIGINT NOT NULL,
        call BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        time BIGINT NOT NULL,
        src TEXT,
        dst TEXT,
        transport TEXT,
        raw TEXT NOT NULL,
        PRIMARY KEY (day, call, seq)
      ) PARTITION BY RANGE (day);
      CREATE TABLE {s}.kept_days (
        day BIGINT PRIMARY KEY,
        calls BIGINT NOT NULL,
        bytes BIGINT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'per-call audio quality (MOS, and loss and jitter per direction as JSON) with the call\'s event',
    sql: `
      ALTER TABLE {s}.events ADD COLUMN mos DOUBLE PRECISION, ADD COLUMN quality TEXT;
    `,
  },
  {
    version: 6,
    name: 'watched probe targets, their state, results and per-interval claims',
    // probe_slots: one row per target and interval number; the INSERT that wins is the replica that probes.
    sql: `
      CREATE TABLE {s}.probe_watches (
        watcher TEXT NOT NULL,
        target TEXT NOT NULL,
        interval_ms BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (watcher, target)
      );
      CREATE TABLE {s}.probe_state (
        target TEXT NOT NULL PRIMARY KEY,
        status TEXT NOT NULL,
        failures INTEGER NOT NULL,
        since BIGINT,
        last_at BIGINT,
        last_code INTEGER,
        last_rtt_ms DOUBLE PRECISION,
        last_slot BIGINT NOT NULL,
        alerts TEXT NOT NULL
      );
      CREATE TABLE {s}.probe_results (
        target TEXT NOT NULL,
        time BIGINT NOT NULL,
        up BOOLEAN NOT NULL,
        code INTEGER,
        rtt_ms DOUBLE PRECISION
      );
      CREATE INDEX probe_results_time ON {s}.probe_results (time);
      CREATE TABLE {s}.probe_slots (
        target TEXT NOT NULL,
        slot BIGINT NOT NULL,
        owner TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (target, slot)
      );
      CREATE INDEX probe_slots_at ON {s}.probe_slots (at);
    `,
  },
  {
    version: 7,
    name: 'kept calls: the Call-ID index also holds time, so a Call-ID search over a period never walks the time index',
    // Without statistics (a day partition minutes old, before autovacuum analyses it) the planner read a
    // whole day through kept_calls_time and filtered on call_id: 43 ms at 1 M messages instead of 0.1 ms.
    // With (call_id, time) both conditions are one index range, whatever the statistics say.
    sql: `
      CREATE INDEX kept_calls_call_time ON {s}.kept_calls (call_id, time);
      DROP INDEX {s}.kept_calls_call_id;
    `,
  },
  {
    version: 8,
    name: 'kept calls: the code, peer, time and number indexes end with the row id, the list order',
    // Lists are newest first, then by id (the order a More cursor continues). SQLite's indexes end with the
    // rowid by themselves; PostgreSQL's stopped at time, so a busy peer's day was read whole and sorted:
    // 214 ms at 10 M kept messages. Ending with id, the newest rows come off each partition's index in order.
    sql: `
      CREATE INDEX kept_calls_code_order ON {s}.kept_calls (code, time, id);
      CREATE INDEX kept_calls_peer_order ON {s}.kept_calls (peer, time, id);
      CREATE INDEX kept_calls_time_order ON {s}.kept_calls (time, id);
      CREATE INDEX kept_keys_key_order ON {s}.kept_keys (key, time, call);
      DROP INDEX {s}.kept_calls_code;
      DROP INDEX {s}.kept_calls_peer;
      DROP INDEX {s}.kept_calls_time;
      DROP INDEX {s}.kept_keys_key;
    `,
  },
];

/** "name" quoted as an identifier; names are checked to be plain identifiers before they get here. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Brings the schema up to date in one transaction holding an advisory lock, so replicas starting together
 * apply each migration once and wait for each other; an up-to-date database is left as it is.
 */
export async function migratePostgres(client: pg.PoolClient, schema: string, where: string, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<number> {
  const s = quoteIdent(schema);
  const known = knownVersion(migrations);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`siptriage-migrations:${schema}`]);
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${s}.schema_version`);
    const found = rows[0]?.v ?? 0;
    refuseNewer(found, known, where);
    for (const m of migrations) {
      if (m.version <= found) continue;
      await client.query(m.sql.replaceAll('{s}', s));
      await client.query(`INSERT INTO ${s}.schema_version (version, name, created_at) VALUES ($1, $2, $3)`, [m.version, m.name, Date.now()]);
    }
    await client.query('COMMIT');
    return Math.max(found, known);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
