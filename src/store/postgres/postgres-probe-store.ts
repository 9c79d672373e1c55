import { nextWatchState, type WatchResult } from '../../core/probe/watch-state.js';
import { CONFIG_WATCHER, type ProbeStore, type RecordedResult, type TargetState, type TargetUptime, type Watch } from '../../ports/probe-store.js';
import { SLOTS_KEPT, stateOf, stateParams, targetState, uptimeOf, watchOf, type StateRow } from '../probe-row.js';
import type { PgAccess } from './postgres-call-store.js';

/**
 * Watched targets in PostgreSQL, shared by replicas. The slot claim is one INSERT … ON CONFLICT DO NOTHING:
 * of two replicas racing for a target's interval, exactly one gets its row in. A result is folded under
 * the state row's lock (SELECT … FOR UPDATE), so state changes are never lost between replicas.
 */
export class PostgresProbeStore implements ProbeStore {
  readonly #a: PgAccess;

  constructor(access: PgAccess) {
    this.#a = access;
  }

  async watch(w: Watch): Promise<boolean> {
    const r = await this.#a.query<{ fresh: boolean }>(
      'watch a probe target',
      `INSERT INTO ${this.#a.s}.probe_watches (watcher, target, interval_ms, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (watcher, target) DO UPDATE SET interval_ms = excluded.interval_ms RETURNING (xmax = 0) AS fresh`,
      [w.watcher, w.target, w.intervalMs, w.createdAt],
    );
    return r.rows[0]?.fresh === true;
  }

  async unwatch(watcher: string, target: string): Promise<boolean> {
    const r = await this.#a.query('stop watching a probe target', `DELETE FROM ${this.#a.s}.probe_watches WHERE watcher = $1 AND target = $2`, [watcher, target]);
    return (r.rowCount ?? 0) > 0;
  }

  async watches(watcher?: string): Promise<Watch[]> {
    const s = this.#a.s;
    const r =
      watcher === undefined
        ? await this.#a.query<Parameters<typeof watchOf>[0]>('read watched probe targets', `SELECT * FROM ${s}.probe_watches ORDER BY target, watcher`, [])
        : await this.#a.query<Parameters<typeof watchOf>[0]>('read watched probe targets', `SELECT * FROM ${s}.probe_watches WHERE watcher = $1 ORDER BY target`, [watcher]);
    return r.rows.map(watchOf);
  }

  async replaceConfigWatches(watches: readonly Watch[]): Promise<void> {
    const s = this.#a.s;
    await this.#a.transaction('replace the configured probe targets', async (c) => {
      // Replicas starting together replace the same rows: one at a time.
      await c.query(`LOCK TABLE ${s}.probe_watches IN SHARE ROW EXCLUSIVE MODE`);
      await c.query(`DELETE FROM ${s}.probe_watches WHERE watcher = $1`, [CONFIG_WATCHER]);
      for (const w of watches) {
        await c.query(`INSERT INTO ${s}.probe_watches (watcher, target, interval_ms, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (watcher, target) DO UPDATE SET interval_ms = excluded.interval_ms`, [
          CONFIG_WATCHER, w.target, w.intervalMs, w.createdAt,
        ]);
      }
    });
  }

  async claimSlot(target: string, slot: number, owner: string, now: number): Promise<boolean> {
    const r = await this.#a.query('claim a probe slot', `INSERT INTO ${this.#a.s}.probe_slots (target, slot, owner, at) VALUES ($1, $2, $3, $4) ON CONFLICT (target, slot) DO NOTHING`, [target, slot, owner, now]);
    return (r.rowCount ?? 0) > 0;
  }

  async recordResult(target: string, result: WatchResult, downAfter: number): Promise<RecordedResult | undefined> {
    const s = this.#a.s;
    return this.#a.transaction('record a probe result', async (c) => {
      // The first result of a target makes its row, so that every later one can lock it.
      await c.query(`INSERT INTO ${s}.probe_state (target, status, failures, last_slot, alerts) VALUES ($1, 'unknown', 0, -1, '{}') ON CONFLICT (target) DO NOTHING`, [target]);
      const row = (await c.query<StateRow>(`SELECT * FROM ${s}.probe_state WHERE target = $1 FOR UPDATE`, [target])).rows[0];
      const next = nextWatchState(stateOf(row), result, downAfter);
      if (next === undefined) return undefined;
      const alerts = row === undefined ? {} : targetState(row).alerts;
      await c.query(
        `UPDATE ${s}.probe_state SET status = $2, failures = $3, since = $4, last_at = $5, last_code = $6, last_rtt_ms = $7, last_slot = $8, alerts = $9 WHERE target = $1`,
        stateParams(target, next.state, alerts),
      );
      await c.query(`INSERT INTO ${s}.probe_results (target, time, up, code, rtt_ms) VALUES ($1, $2, $3, $4, $5)`, [target, result.time, result.up, result.code, result.rttMs]);
      // Claims only matter while their interval can still be raced for; a few back is plenty.
      await c.query(`DELETE FROM ${s}.probe_slots WHERE target = $1 AND slot < $2`, [target, result.slot - SLOTS_KEPT]);
      return { state: { ...next.state, target, alerts }, change: next.change, previousSince: row === undefined ? null : targetState(row).since };
    });
  }

  async targetStates(): Promise<TargetState[]> {
    const r = await this.#a.query<StateRow>('read probe states', `SELECT * FROM ${this.#a.s}.probe_state ORDER BY target`, []);
    return r.rows.map(targetState);
  }

  async setAlerts(target: string, alerts: Readonly<Record<string, string>>): Promise<void> {
    await this.#a.query('remember probe alert messages', `UPDATE ${this.#a.s}.probe_state SET alerts = $2 WHERE target = $1`, [target, JSON.stringify(alerts)]);
  }

  async uptime(from: number, to: number): Promise<TargetUptime[]> {
    const r = await this.#a.query<{ target: string; up: boolean; rtt_ms: number | null }>('read probe results', `SELECT target, up, rtt_ms FROM ${this.#a.s}.probe_results WHERE time >= $1 AND time < $2`, [from, to]);
    return uptimeOf(r.rows);
  }

  async pruneProbes(before: number): Promise<number> {
    const s = this.#a.s;
    return this.#a.transaction('prune probe results', async (c) => {
      const r = await c.query(`DELETE FROM ${s}.probe_results WHERE time < $1`, [before]);
      await c.query(`DELETE FROM ${s}.probe_slots WHERE at < $1`, [before]);
      await c.query(`DELETE FROM ${s}.probe_state WHERE target NOT IN (SELECT target FROM ${s}.probe_watches)`);
      return r.rowCount ?? 0;
    });
  }
}
