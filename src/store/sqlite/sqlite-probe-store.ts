import type Database from 'better-sqlite3';
import { nextWatchState, type WatchResult } from '../../core/probe/watch-state.js';
import { CONFIG_WATCHER, type ProbeStore, type RecordedResult, type TargetState, type TargetUptime, type Watch } from '../../ports/probe-store.js';
import { SLOTS_KEPT, stateOf, stateParams, targetState, uptimeOf, watchOf, type StateRow } from '../probe-row.js';

type Run = <T>(what: string, work: () => T) => T;

const UPSERT_STATE = `INSERT INTO probe_state (target, status, failures, since, last_at, last_code, last_rtt_ms, last_slot, alerts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (target) DO UPDATE SET status = excluded.status, failures = excluded.failures, since = excluded.since, last_at = excluded.last_at,
    last_code = excluded.last_code, last_rtt_ms = excluded.last_rtt_ms, last_slot = excluded.last_slot, alerts = excluded.alerts`;

/**
 * Watched targets in the SQLite file. A result is read, folded and written in one IMMEDIATE transaction,
 * so two processes on the same file fold results one after the other.
 */
export class SqliteProbeStore implements ProbeStore {
  readonly #db: Database.Database;
  readonly #run: Run;
  readonly #record: Database.Transaction<(target: string, r: WatchResult, downAfter: number) => RecordedResult | undefined>;

  constructor(db: Database.Database, run: Run) {
    this.#db = db;
    this.#run = run;
    const read = db.prepare('SELECT * FROM probe_state WHERE target = ?');
    const upsert = db.prepare(UPSERT_STATE);
    const result = db.prepare('INSERT INTO probe_results (target, time, up, code, rtt_ms) VALUES (?, ?, ?, ?, ?)');
    const oldSlots = db.prepare('DELETE FROM probe_slots WHERE target = ? AND slot < ?');
    this.#record = db.transaction((target: string, r: WatchResult, downAfter: number) => {
      const row = read.get(target) as StateRow | undefined;
      const next = nextWatchState(stateOf(row), r, downAfter);
      if (next === undefined) return undefined;
      const alerts = row === undefined ? {} : targetState(row).alerts;
      upsert.run(...stateParams(target, next.state, alerts));
      result.run(target, r.time, r.up ? 1 : 0, r.code, r.rttMs);
      // Claims only matter while their interval can still be raced for; a few back is plenty.
      oldSlots.run(target, r.slot - SLOTS_KEPT);
      return { state: { ...next.state, target, alerts }, change: next.change, previousSince: row === undefined ? null : targetState(row).since };
    });
  }

  async watch(w: Watch): Promise<boolean> {
    return this.#run('watch a probe target', () => {
      const { changes } = this.#db.prepare('INSERT INTO probe_watches (watcher, target, interval_ms, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(w.watcher, w.target, w.intervalMs, w.createdAt);
      if (changes === 0) this.#db.prepare('UPDATE probe_watches SET interval_ms = ? WHERE watcher = ? AND target = ?').run(w.intervalMs, w.watcher, w.target);
      return changes > 0;
    });
  }

  async unwatch(watcher: string, target: string): Promise<boolean> {
    return this.#run('stop watching a probe target', () => this.#db.prepare('DELETE FROM probe_watches WHERE watcher = ? AND target = ?').run(watcher, target).changes > 0);
  }

  async watches(watcher?: string): Promise<Watch[]> {
    const rows = this.#run('read watched probe targets', () =>
      watcher === undefined ? this.#db.prepare('SELECT * FROM probe_watches ORDER BY target, watcher').all() : this.#db.prepare('SELECT * FROM probe_watches WHERE watcher = ? ORDER BY target').all(watcher),
    ) as Parameters<typeof watchOf>[0][];
    return rows.map(watchOf);
  }

  async replaceConfigWatches(watches: readonly Watch[]): Promise<void> {
    this.#run('replace the configured probe targets', () =>
      this.#db
        .transaction(() => {
          this.#db.prepare('DELETE FROM probe_watches WHERE watcher = ?').run(CONFIG_WATCHER);
          const put = this.#db.prepare('INSERT INTO probe_watches (watcher, target, interval_ms, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET interval_ms = excluded.interval_ms');
          for (const w of watches) put.run(CONFIG_WATCHER, w.target, w.intervalMs, w.createdAt);
        })
        .immediate(),
    );
  }

  async claimSlot(target: string, slot: number, owner: string, now: number): Promise<boolean> {
    return this.#run('claim a probe slot', () => this.#db.prepare('INSERT INTO probe_slots (target, slot, owner, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(target, slot, owner, now).changes > 0);
  }

  async recordResult(target: string, result: WatchResult, downAfter: number): Promise<RecordedResult | undefined> {
    return this.#run('record a probe result', () => this.#record.immediate(target, result, downAfter));
  }

  async targetStates(): Promise<TargetState[]> {
    return (this.#run('read probe states', () => this.#db.prepare('SELECT * FROM probe_state ORDER BY target').all()) as StateRow[]).map(targetState);
  }

  async setAlerts(target: string, alerts: Readonly<Record<string, string>>): Promise<void> {
    this.#run('remember probe alert messages', () => this.#db.prepare('UPDATE probe_state SET alerts = ? WHERE target = ?').run(JSON.stringify(alerts), target));
  }

  async uptime(from: number, to: number): Promise<TargetUptime[]> {
    const rows = this.#run('read probe results', () => this.#db.prepare('SELECT target, up, rtt_ms FROM probe_results WHERE time >= ? AND time < ?').all(from, to)) as { target: string; up: number; rtt_ms: number | null }[];
    return uptimeOf(rows);
  }

  async pruneProbes(before: number): Promise<number> {
    return this.#run('prune probe results', () =>
      this.#db
        .transaction(() => {
          const { changes } = this.#db.prepare('DELETE FROM probe_results WHERE time < ?').run(before);
          this.#db.prepare('DELETE FROM probe_slots WHERE at < ?').run(before);
          this.#db.prepare('DELETE FROM probe_state WHERE target NOT IN (SELECT target FROM probe_watches)').run();
          return changes;
        })
        .immediate(),
    );
  }
}
