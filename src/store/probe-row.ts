import { medianOf, UNKNOWN_STATE, type WatchState } from '../core/probe/watch-state.js';
import type { TargetState, TargetUptime, Watch } from '../ports/probe-store.js';

/** Claims kept per target behind its latest result: they only matter while an interval can still be raced for. */
export const SLOTS_KEPT = 16;

/** A probe_state row as both drivers return it (PostgreSQL BIGINT columns arrive as strings). */
export interface StateRow {
  readonly target: string;
  readonly status: string;
  readonly failures: number | string;
  readonly since: number | string | null;
  readonly last_at: number | string | null;
  readonly last_code: number | null;
  readonly last_rtt_ms: number | null;
  readonly last_slot: number | string;
  readonly alerts: string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function targetState(r: StateRow): TargetState {
  const status = r.status === 'up' || r.status === 'down' ? r.status : 'unknown';
  return {
    target: r.target,
    status,
    failures: Number(r.failures),
    since: num(r.since),
    lastAt: num(r.last_at),
    lastCode: r.last_code,
    lastRttMs: r.last_rtt_ms,
    lastSlot: Number(r.last_slot),
    alerts: parseAlerts(r.alerts),
  };
}

export function stateOf(row: StateRow | undefined): WatchState {
  return row === undefined ? UNKNOWN_STATE : targetState(row);
}

/** The state columns in the order both engines' upserts take them. */
export function stateParams(target: string, s: WatchState, alerts: Readonly<Record<string, string>>): unknown[] {
  return [target, s.status, s.failures, s.since, s.lastAt, s.lastCode, s.lastRttMs, s.lastSlot, JSON.stringify(alerts)];
}

// Written by this code only; a damaged value loses the message ids (the next outage posts anew), nothing else.
function parseAlerts(text: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export function watchOf(r: { watcher: string; target: string; interval_ms: number | string; created_at: number | string }): Watch {
  return { watcher: r.watcher, target: r.target, intervalMs: Number(r.interval_ms), createdAt: Number(r.created_at) };
}

/** Uptime per target from its results in a period, busiest first then by name. */
export function uptimeOf(rows: readonly { target: string; up: number | boolean; rtt_ms: number | null }[]): TargetUptime[] {
  const by = new Map<string, { probes: number; up: number; rtts: number[] }>();
  for (const r of rows) {
    let t = by.get(r.target);
    if (t === undefined) by.set(r.target, (t = { probes: 0, up: 0, rtts: [] }));
    t.probes++;
    if (r.up === true || r.up === 1) t.up++;
    if (r.rtt_ms !== null) t.rtts.push(r.rtt_ms);
  }
  return [...by].map(([target, t]) => ({ target, probes: t.probes, up: t.up, medianRttMs: medianOf(t.rtts) })).sort((a, b) => a.target.localeCompare(b.target));
}
