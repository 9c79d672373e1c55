import type { CallEventKind } from '../core/triage/call-events.js';
import { callKey } from './call-key.js';
import type { StoredEvent, Surface } from '../ports/store.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Bounds on what one event may put in a row, so that hostile input (a forged Server header, a crafted
 * capture) cannot bloat the store: longer strings are cut, longer lists shortened.
 */
export const LIMITS = {
  peer: 255,
  product: 200,
  method: 32,
  findings: 32,
  finding: 64,
  callIdHash: 64,
  place: 128,
  queryKind: 32,
} as const;

const KINDS: ReadonlySet<string> = new Set<CallEventKind>(['failure', 'cancelled', 'answered']);
const SURFACES: ReadonlySet<string> = new Set<Surface>(['slack', 'discord', 'console', 'cli', 'hep', 'http']);
// Latest time a JS Date can hold; anything beyond is not a time.
const MAX_TIME = 8.64e15;

/** One event as both engines store it: validated, bounded, with its hour bucket. */
export interface EventRow {
  readonly callIdHash: string;
  /** What duplicates are found by: see callKey(). */
  readonly callKey: bigint;
  readonly time: number;
  readonly hour: number;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  /** '' for none: roll-up keys cannot hold NULL and stay unique. Read back as null. */
  readonly peer: string;
  readonly product: string | null;
  readonly q850: number | null;
  /** JSON array of finding ids. */
  readonly findings: string;
  readonly surface: Surface;
  readonly workspace: string | null;
  readonly channel: string | null;
}

/**
 * The row for an event, or undefined when the event cannot be counted (time not a number, unknown kind,
 * code outside 100-699, no Call-ID hash): such events are skipped, never stored half-right.
 */
export function eventRow(e: StoredEvent): EventRow | undefined {
  if (typeof e.time !== 'number' || !Number.isFinite(e.time) || e.time < 0 || e.time > MAX_TIME) return undefined;
  if (!KINDS.has(e.kind) || !SURFACES.has(e.surface)) return undefined;
  if (!Number.isInteger(e.code) || e.code < 100 || e.code > 699) return undefined;
  const callIdHash = bounded(e.callIdHash, LIMITS.callIdHash);
  if (callIdHash === null) return undefined;
  const time = Math.floor(e.time);
  const findings = Array.isArray(e.findings) ? e.findings.slice(0, LIMITS.findings).flatMap((f) => bounded(f, LIMITS.finding) ?? []) : [];
  return {
    callIdHash,
    callKey: callKey(callIdHash),
    time,
    hour: hourOf(time),
    kind: e.kind,
    code: e.code,
    method: bounded(e.method, LIMITS.method) ?? '',
    peer: bounded(e.peer, LIMITS.peer) ?? '',
    product: bounded(e.product, LIMITS.product),
    q850: Number.isInteger(e.q850) && (e.q850 as number) >= 0 && (e.q850 as number) <= 127 ? e.q850 : null,
    findings: JSON.stringify(findings),
    surface: e.surface,
    workspace: bounded(e.workspace, LIMITS.place),
    channel: bounded(e.channel, LIMITS.place),
  };
}

/**
 * Rows of a batch: invalid events dropped (and counted), repeats of a Call-ID within the batch kept once
 * (the first), as a repeat of a stored call would be.
 */
export function batchRows(events: readonly StoredEvent[]): { readonly rows: EventRow[]; readonly invalid: number } {
  const seen = new Set<bigint>();
  const rows: EventRow[] = [];
  let invalid = 0;
  for (const e of events) {
    const row = eventRow(e);
    if (row === undefined) invalid++;
    else if (!seen.has(row.callKey)) {
      seen.add(row.callKey);
      rows.push(row);
    }
  }
  return { rows, invalid };
}

export function hourOf(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/** The start of the UTC day `time` falls in: the key of the daily roll-up. */
export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** One hourly roll-up key with how many new events fall in it. */
export interface RollupRow {
  readonly hour: number;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  readonly peer: string;
  readonly count: number;
}

/** Sums rows into roll-up keys, sorted so that concurrent writers lock roll-up rows in the same order. */
export function rollups(rows: readonly Pick<EventRow, 'hour' | 'kind' | 'code' | 'method' | 'peer'>[]): RollupRow[] {
  const sums = new Map<string, RollupRow>();
  for (const r of rows) {
    const key = `${r.hour}\u0000${r.kind}\u0000${r.code}\u0000${r.method}\u0000${r.peer}`;
    const s = sums.get(key);
    sums.set(key, { hour: r.hour, kind: r.kind, code: r.code, method: r.method, peer: r.peer, count: (s?.count ?? 0) + 1 });
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The same counts without the peer: the roll-up that reads not grouped by peer use. */
export function codeRollups(rows: readonly RollupRow[]): Omit<RollupRow, 'peer'>[] {
  const sums = new Map<string, Omit<RollupRow, 'peer'>>();
  for (const r of rows) {
    const key = `${r.hour}\u0000${r.kind}\u0000${r.code}\u0000${r.method}`;
    const s = sums.get(key);
    sums.set(key, { hour: r.hour, kind: r.kind, code: r.code, method: r.method, count: (s?.count ?? 0) + r.count });
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** One daily roll-up key (`day` the UTC day's start) with how many new events fall in it. */
export type DailyRollupRow = Omit<RollupRow, 'hour'> & { readonly day: number };

/** The same counts summed by UTC day: the roll-up that long reads grouped by peer use. */
export function dailyRollups(rows: readonly RollupRow[]): DailyRollupRow[] {
  const sums = new Map<string, DailyRollupRow>();
  for (const r of rows) {
    const day = dayOf(r.hour);
    const key = `${day}\u0000${r.kind}\u0000${r.code}\u0000${r.method}\u0000${r.peer}`;
    const s = sums.get(key);
    sums.set(key, { day, kind: r.kind, code: r.code, method: r.method, peer: r.peer, count: (s?.count ?? 0) + r.count });
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/**
 * A string cut to `max` characters (never splitting a surrogate pair), NULs removed (PostgreSQL text
 * cannot hold them); null for anything that is not a non-empty string.
 */
export function bounded(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  let s = value.length > max * 2 ? value.slice(0, max * 2) : value;
  if (s.includes('\u0000')) s = s.replaceAll('\u0000', '');
  if (s.length > max) {
    s = s.slice(0, max);
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
  }
  return s === '' ? null : s;
}
