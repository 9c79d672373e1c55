import type Database from 'better-sqlite3';
import type { Migration } from '../schema-version.js';
import { knownVersion, refuseNewer } from '../schema-version.js';

/**
 * The SQLite schema, version by version. Times are milliseconds since the epoch. Events are unique by
 * Call-ID hash (a call has one outcome event, so a call pasted twice or a retransmitted capture counts once);
 * the hourly roll-ups are what counts() reads, so stats and digests read thousands of rows, not millions:
 * `hourly` by peer too, `hourly_codes` without it for the reads that do not group by peer, and `daily` (by
 * peer, per UTC day) for the whole days of long reads grouped by peer.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, hourly roll-ups, queries, channel settings, digest claims',
    sql: `
      CREATE TABLE events (
        call_id_hash TEXT NOT NULL PRIMARY KEY,
        time INTEGER NOT NULL,
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
      CREATE INDEX events_time ON events (time);
      CREATE TABLE hourly (
        hour INTEGER NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        peer TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (hour, kind, code, method, peer)
      ) WITHOUT ROWID;
      CREATE TABLE queries (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        surface TEXT NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE INDEX queries_time ON queries (time);
      CREATE TABLE channel_settings (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        auto_triage INTEGER NOT NULL,
        digest INTEGER NOT NULL,
        alerts INTEGER NOT NULL,
        alert_min_count INTEGER,
        alert_ratio REAL,
        alert_quiet_hours TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (platform, workspace, channel)
      );
      CREATE TABLE digest_claims (
        destination TEXT NOT NULL,
        period TEXT NOT NULL,
        owner TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'posted', 'released')),
        lease_until INTEGER NOT NULL,
        message_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (destination, period)
      );
    `,
  },
  {
    version: 2,
    name: 'events deduplicated on a 64-bit call key; roll-ups without the peer for reads that do not need it',
    // siptriage_call_key() is callKey() (src/store/call-key.ts), registered on every connection.
    sql: `
      CREATE TABLE events_v2 (
        id INTEGER PRIMARY KEY,
        call_key INTEGER NOT NULL UNIQUE,
        call_id_hash TEXT NOT NULL,
        time INTEGER NOT NULL,
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
      INSERT OR IGNORE INTO events_v2 (call_key, call_id_hash, time, kind, code, method, peer, product, q850, findings, surface, workspace, channel)
        SELECT siptriage_call_key(call_id_hash), call_id_hash, time, kind, code, method, peer, product, q850, findings, surface, workspace, channel
        FROM events ORDER BY time;
      DROP TABLE events;
      ALTER TABLE events_v2 RENAME TO events;
      CREATE INDEX events_time ON events (time);
      CREATE TABLE hourly_codes (
        hour INTEGER NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (hour, kind, code, method)
      ) WITHOUT ROWID;
      INSERT INTO hourly_codes (hour, kind, code, method, count) SELECT hour, kind, code, method, SUM(count) FROM hourly GROUP BY hour, kind, code, method;
    `,
  },
  {
    version: 3,
    name: 'a daily roll-up by peer, so that reads of a week or a month grouped by peer read days, not hours',
    // day = the start of the hour's UTC day (ms); the double modulo keeps it right before 1970 too.
    sql: `
      CREATE TABLE daily (
        day INTEGER NOT NULL,
        kind TEXT NOT NULL,
        code INTEGER NOT NULL,
        method TEXT NOT NULL,
        peer TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, kind, code, method, peer)
      ) WITHOUT ROWID;
      INSERT INTO daily (day, kind, code, method, peer, count)
        SELECT hour - ((hour % 86400000) + 86400000) % 86400000 AS day, kind, code, method, peer, SUM(count) FROM hourly GROUP BY day, kind, code, method, peer;
    `,
  },
  {
    version: 4,
    name: 'kept calls: the messages of failing calls from live traffic, searchable by Call-ID, code, peer, number and leg',
    // kept_keys holds "n:<E.164 number>" and "l:<leg key>" per call; kept_days the bytes per UTC day for the cap.
    sql: `
      CREATE TABLE kept_calls (
        id INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        time INTEGER NOT NULL,
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
        bytes INTEGER NOT NULL,
        UNIQUE (call_id, time)
      );
      CREATE INDEX kept_calls_time ON kept_calls (time);
      CREATE INDEX kept_calls_code ON kept_calls (code, time);
      CREATE INDEX kept_calls_peer ON kept_calls (peer, time);
      CREATE TABLE kept_keys (
        key TEXT NOT NULL,
        time INTEGER NOT NULL,
        call INTEGER NOT NULL,
        PRIMARY KEY (key, time, call)
      ) WITHOUT ROWID;
      CREATE TABLE kept_messages (
        call INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        time INTEGER NOT NULL,
        src TEXT,
        dst TEXT,
        transport TEXT,
        raw TEXT NOT NULL,
        PRIMARY KEY (call, seq)
      ) WITHOUT ROWID;
      CREATE TABLE kept_days (
        day INTEGER PRIMARY KEY,
        calls INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'per-call audio quality (MOS, and loss and jitter per direction as JSON) with the call\'s event',
    sql: `
      ALTER TABLE events ADD COLUMN mos REAL;
      ALTER TABLE events ADD COLUMN quality TEXT;
    `,
  },
  {
    version: 6,
    name: 'watched probe targets, their state, results and per-interval claims',
    // probe_slots: one row per target and interval number, inserted by whoever probes it (replicas share it).
    sql: `
      CREATE TABLE probe_watches (
        watcher TEXT NOT NULL,
        target TEXT NOT NULL,
        interval_ms INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (watcher, target)
      );
      CREATE TABLE probe_state (
        target TEXT NOT NULL PRIMARY KEY,
        status TEXT NOT NULL,
        failures INTEGER NOT NULL,
        since INTEGER,
        last_at INTEGER,
        last_code INTEGER,
        last_rtt_ms REAL,
        last_slot INTEGER NOT NULL,
        alerts TEXT NOT NULL
      );
      CREATE TABLE probe_results (
        target TEXT NOT NULL,
        time INTEGER NOT NULL,
        up INTEGER NOT NULL,
        code INTEGER,
        rtt_ms REAL
      );
      CREATE INDEX probe_results_time ON probe_results (time);
      CREATE TABLE probe_slots (
        target TEXT NOT NULL,
        slot INTEGER NOT NULL,
        owner TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (target, slot)
      ) WITHOUT ROWID;
      CREATE INDEX probe_slots_at ON probe_slots (at);
    `,
  },
];

/**
 * Brings the schema up to date. BEGIN IMMEDIATE takes the write lock first, so two processes starting on
 * the same file apply each migration once; opening an up-to-date store changes nothing.
 */
export function migrateSqlite(db: Database.Database, where: string, migrations: readonly Migration[] = SQLITE_MIGRATIONS): number {
  const known = knownVersion(migrations);
  const run = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL)');
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
    const found = row.v ?? 0;
    refuseNewer(found, known, where);
    const record = db.prepare('INSERT INTO schema_version (version, name, created_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (m.version <= found) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }
    return Math.max(found, known);
  });
  return run.immediate();
}
