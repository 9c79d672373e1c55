import Database from 'better-sqlite3';
import { StoreError } from '../../errors/errors.js';
import { claimLost } from '../claim-lost.js';
import { countRow, countSql } from '../count-sql.js';
import { callKey } from '../call-key.js';
import { batchRows, bounded, codeRollups, dailyRollups, dayOf, HOUR_MS, LIMITS, rollups, type EventRow } from '../event-row.js';
import { settingsPatch, settingsRow, type SettingsRow } from '../settings-row.js';
import type {
  ChannelRef,
  ChannelSettings,
  CountQuery,
  CountRow,
  DigestKey,
  QueryEvent,
  RecordResult,
  Store,
  StoreInfo,
  StoredEvent,
} from '../../ports/store.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { QUALITY_ROWS_SQL, qualityUpdateRow } from '../quality-row.js';
import type { QualityQuery, QualityRecord, QualityRow } from '../../ports/store.js';
import { SqliteCallStore } from './sqlite-call-store.js';
import { SqliteProbeStore } from './sqlite-probe-store.js';
import { sqliteStatements, type SqliteStatements } from './sqlite-statements.js';

/**
 * The embedded store: one SQLite file through better-sqlite3. Its calls are synchronous and short (a batch
 * of events is one transaction of prepared statements), so each method does its work at once and returns a
 * settled promise; faults become StoreError.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #where: string;
  readonly #s: SqliteStatements;
  // IMMEDIATE: take the write lock (waiting up to busy_timeout) before the first statement, not halfway.
  readonly #record: Database.Transaction<(rows: readonly EventRow[]) => number>;
  readonly #counts = new Map<string, Database.Statement>();
  readonly calls: SqliteCallStore;
  readonly probes: SqliteProbeStore;
  #closed = false;

  /** Opens (creating when absent) and migrates the store at `path` (a file, or ':memory:'). */
  static open(path: string): SqliteStore {
    let db: Database.Database;
    try {
      db = new Database(path);
    } catch (err) {
      throw new StoreError('STORE_UNAVAILABLE', `cannot open the SQLite store at ${path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      configure(db);
      migrateSqlite(db, path);
      return new SqliteStore(db, path);
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError('STORE_UNAVAILABLE', `cannot open the SQLite store at ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  private constructor(db: Database.Database, where: string) {
    this.#db = db;
    this.#where = where;
    this.#s = sqliteStatements(db);
    this.calls = new SqliteCallStore(db, (what, work) => this.#run(what, work));
    this.probes = new SqliteProbeStore(db, (what, work) => this.#run(what, work));
    const s = this.#s;
    // Only rows actually inserted (not already there) reach the roll-ups, in the same transaction.
    this.#record = db.transaction((rows: readonly EventRow[]): number => {
      const fresh: EventRow[] = [];
      for (const r of rows) {
        const { changes } = s.insertEvent.run(r.callKey, r.callIdHash, r.time, r.kind, r.code, r.method, r.peer, r.product, r.q850, r.findings, r.surface, r.workspace, r.channel);
        if (changes > 0) fresh.push(r);
      }
      const sums = rollups(fresh);
      for (const u of sums) s.addRollup.run(u.hour, u.kind, u.code, u.method, u.peer, u.count);
      for (const u of codeRollups(sums)) s.addCodeRollup.run(u.hour, u.kind, u.code, u.method, u.count);
      for (const u of dailyRollups(sums)) s.addDailyRollup.run(u.day, u.kind, u.code, u.method, u.peer, u.count);
      return fresh.length;
    });
  }

  async recordEvents(events: readonly StoredEvent[]): Promise<RecordResult> {
    const { rows, invalid } = batchRows(events);
    const inserted = this.#run('record events', () => (rows.length === 0 ? 0 : this.#record.immediate(rows)));
    // Invalid events (no usable time, kind or code) are neither: they are not stored at all.
    return { inserted, duplicates: events.length - invalid - inserted };
  }

  async recordQuality(records: readonly QualityRecord[]): Promise<number> {
    const rows = records.flatMap((r) => qualityUpdateRow(r) ?? []);
    if (rows.length === 0) return 0;
    return this.#run('record call quality', () => {
      const update = this.#countStatement('UPDATE events SET mos = ?, quality = ? WHERE call_key = ?');
      return this.#db.transaction(() => rows.reduce((n, r) => n + update.run(r.mos, r.quality, r.callKey).changes, 0)).immediate();
    });
  }

  async qualityRows(query: QualityQuery): Promise<QualityRow[]> {
    const rows = this.#run('read call quality', () => this.#countStatement(QUALITY_ROWS_SQL.replace('{events}', 'events')).all(Math.floor(query.from), Math.floor(query.to))) as {
      peer: string;
      band: QualityRow['band'];
      count: number;
      mos_sum: number;
    }[];
    return rows.map((r) => ({ peer: r.peer === '' ? null : r.peer, band: r.band, count: r.count, mosSum: r.mos_sum }));
  }

  async recordQuery(query: QueryEvent): Promise<void> {
    if (!Number.isFinite(query.time)) return;
    this.#run('record a query', () => this.#s.insertQuery.run(Math.floor(query.time), query.surface, bounded(query.kind, LIMITS.queryKind) ?? ''));
  }

  async channelSettings(ref: ChannelRef): Promise<ChannelSettings> {
    const row = this.#run('read channel settings', () => this.#s.getSettings.get(ref.platform, ref.workspace, ref.channel) as SettingsRow | undefined);
    return settingsRow(row);
  }

  async updateChannelSettings(ref: ChannelRef, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    return this.#run('update channel settings', () =>
      this.#db.transaction(() => {
        const next = settingsPatch(settingsRow(this.#s.getSettings.get(ref.platform, ref.workspace, ref.channel) as SettingsRow | undefined), patch);
        this.#s.putSettings.run(
          ref.platform,
          ref.workspace,
          ref.channel,
          next.autoTriage ? 1 : 0,
          next.digest ? 1 : 0,
          next.alerts ? 1 : 0,
          next.alertMinCount,
          next.alertRatio,
          next.alertQuietHours,
          Date.now(),
        );
        return next;
      }).immediate(),
    );
  }

  async subscribers(what: 'digest' | 'alerts'): Promise<ChannelRef[]> {
    const rows = this.#run('read subscribers', () => (what === 'digest' ? this.#s.digestSubscribers : this.#s.alertSubscribers).all()) as { platform: ChannelRef['platform']; workspace: string; channel: string }[];
    return rows.map((r) => ({ platform: r.platform, workspace: r.workspace, channel: r.channel }));
  }

  async counts(query: CountQuery): Promise<CountRow[]> {
    const { sql, params, dims } = countSql({ byPeer: 'hourly', byCode: 'hourly_codes', byDay: 'daily' }, query, () => '?');
    const rows = this.#run('count events', () => this.#countStatement(sql).all(...params)) as Record<string, unknown>[];
    return rows.map((r) => countRow(r, dims));
  }

  async info(): Promise<StoreInfo> {
    const row = this.#run('read store info', () => this.#s.info.get()) as { created_at: number; version: number };
    return { createdAt: row.created_at, schemaVersion: row.version };
  }

  async claimDigest(key: DigestKey, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const row = this.#run('claim a digest', () => this.#s.claim.get({ destination: key.destination, period: key.period, owner, leaseUntil: now + leaseMs, now }));
    return row !== undefined;
  }

  async completeDigest(key: DigestKey, owner: string, messageId: string): Promise<void> {
    const { changes } = this.#run('complete a digest', () => this.#s.complete.run(messageId, Date.now(), key.destination, key.period, owner));
    if (changes === 0) throw claimLost(key, owner);
  }

  async releaseDigest(key: DigestKey, owner: string): Promise<void> {
    this.#run('release a digest', () => this.#s.release.run(Date.now(), key.destination, key.period, owner));
  }

  async prune(before: number): Promise<number> {
    return this.#run('prune', () =>
      this.#db.transaction(() => {
        const { changes } = this.#s.pruneEvents.run(before);
        this.#s.pruneRollups.run(before - HOUR_MS);
        this.#s.pruneCodeRollups.run(before - HOUR_MS);
        this.#s.pruneDailyRollups.run(before - HOUR_MS);
        this.#s.refillDailyRollups.run({ day: dayOf(before - HOUR_MS) });
        this.#s.pruneQueries.run(before);
        this.#s.pruneClaims.run(before);
        return changes;
      }).immediate(),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  // A digest or a stats answer asks the same few shapes of query again and again.
  #countStatement(sql: string): Database.Statement {
    let s = this.#counts.get(sql);
    if (s === undefined) {
      if (this.#counts.size >= 64) this.#counts.clear();
      s = this.#db.prepare(sql);
      this.#counts.set(sql, s);
    }
    return s;
  }

  #run<T>(what: string, work: () => T): T {
    if (this.#closed) throw new StoreError('STORE_CLOSED', `cannot ${what}: the store is closed`);
    try {
      return work();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError('STORE_FAILED', `cannot ${what} in the SQLite store at ${this.#where}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * WAL lets readers run beside the one writer. synchronous=FULL syncs the WAL at every commit, so an
 * acknowledged batch is on disk and survives power loss too; NORMAL would survive a killed process (the WAL
 * is in the OS cache) but not a power cut, and batches of hundreds of events make the extra sync cheap.
 */
function configure(db: Database.Database): void {
  // First: another process (a CLI run with --record, a second bot starting on the same new file) may hold
  // a lock for a moment, even while WAL is being switched on.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // 64 MiB of page cache (the default is 2 MiB): the dedupe index of a busy store stays in memory.
  db.pragma('cache_size = -65536');
  // Checkpoint every ~40 MiB of WAL instead of 4 MiB: a page changed by many batches is copied back once,
  // not once per few batches (about a quarter more events/s in bench store).
  db.pragma('wal_autocheckpoint = 10000');
  // Migration 2 computes the keys of events stored before it.
  db.function('siptriage_call_key', { deterministic: true }, (hash: unknown) => callKey(String(hash)));
}
