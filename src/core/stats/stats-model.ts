import { rangeMs, type StatsBreakdown, type StatsQuery, type StatsRange } from '../query/stats-query.js';
import { busiest, classOf, HOUR_MS, isFailure, sum, sumBy, type RowQueries, type RowSets } from './count-rows.js';
import { asrOf, classTotals, TOP, type Asr, type ClassTotals } from './digest-model.js';
import type { QualityModel } from './quality-model.js';

/**
 * `/sip stats [24h|7d|30d] [code|class|peer]` as data: failures over the range, broken down as asked, each
 * row against the previous period of the same length. Pure, like the digest model.
 */

export type StatsQueryName = 'current' | 'previous' | 'currentPeers' | 'previousPeers';

export interface StatsPeriods {
  readonly current: { readonly from: number; readonly to: number };
  readonly previous: { readonly from: number; readonly to: number };
  /** When it was asked: the hour in progress is read whole, but a period shown never ends after now. */
  readonly asOf?: number;
}

/** The range ending at the current hour's end, so the hour in progress counts; the previous one just before it. */
export function statsPeriods(range: StatsRange, now: number): StatsPeriods {
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const span = rangeMs(range);
  return { current: { from: to - span, to }, previous: { from: to - 2 * span, to: to - span }, asOf: now };
}

/**
 * Two reads per period. Totals, the breakdown and the INVITE ratio come from the range by hour, kind, code and
 * method: the roll-ups' own key order (and the store's roll-up without peers), so the store groups them as it
 * reads them instead of sorting every hourly row of the range. Failures by peer are the second read, the costly
 * one over 30 days (npm run bench digest): the card names the three busiest peers whatever the breakdown.
 */
export function statsQueries(query: StatsQuery, now: number): RowQueries<StatsQueryName> {
  const { current, previous } = statsPeriods(query.range, now);
  const by = ['hour', 'kind', 'code', 'method'] as const;
  return {
    current: { ...current, by },
    previous: { ...previous, by },
    currentPeers: { ...current, by: ['peer'], kinds: ['failure'] },
    previousPeers: { ...previous, by: ['peer'], kinds: ['failure'] },
  };
}

export interface StatsRow {
  /** "503", "5xx" or a peer's address. */
  readonly key: string;
  readonly count: number;
  readonly previous: number;
}

export interface StatsModel {
  readonly range: StatsRange;
  readonly by: StatsBreakdown;
  readonly periods: StatsPeriods;
  readonly failures: number;
  readonly previousFailures: number;
  readonly byClass: ClassTotals;
  readonly previousByClass: ClassTotals;
  readonly timeouts: number;
  readonly asr: Asr;
  readonly previousAsr: Asr;
  /** Busiest first in the current period, then keys that only failed in the previous one; TOP at most. */
  readonly rows: readonly StatsRow[];
  /** Rows beyond TOP, summed: what the table leaves out. */
  readonly otherRows: { readonly keys: number; readonly count: number };
  readonly topPeers: readonly StatsRow[];
  /** Audio quality of the calls in the current period, when the store keeps it (live RTCP / RFC 6035 reports). */
  readonly quality?: QualityModel;
}

export function buildStats(query: StatsQuery, now: number, read: RowSets<StatsQueryName>): StatsModel {
  const periods = statsPeriods(query.range, now);
  const invite = (r: { method?: string }): boolean => r.method === 'INVITE';
  const rows = {
    current: read.current,
    previous: read.previous,
    currentPeers: read.currentPeers,
    previousPeers: read.previousPeers,
    currentInvite: read.current.filter(invite),
    previousInvite: read.previous.filter(invite),
  };
  const cur = rows.current.filter(isFailure);
  const prev = rows.previous.filter(isFailure);
  const keyOf = (r: { code?: number; peer?: string | null }): string | undefined => {
    if (query.by === 'peer') return peerKey(r);
    if (r.code === undefined) return undefined;
    if (query.by === 'class') return classOf(r.code) === 0 ? 'other' : `${classOf(r.code)}xx`;
    return String(r.code);
  };
  const [curRows, prevRows] = query.by === 'peer' ? [rows.currentPeers, rows.previousPeers] : [cur, prev];
  const all = compare(sumBy(curRows, keyOf), sumBy(prevRows, keyOf));
  const peers = compare(sumBy(rows.currentPeers, peerKey), sumBy(rows.previousPeers, peerKey));
  const shown = all.slice(0, TOP);
  const rest = all.slice(TOP);
  return {
    range: query.range,
    by: query.by,
    periods,
    failures: sum(cur),
    previousFailures: sum(prev),
    byClass: classTotals(cur),
    previousByClass: classTotals(prev),
    timeouts: sum(cur, (r) => r.code === 408),
    asr: asrOf(rows.currentInvite),
    previousAsr: asrOf(rows.previousInvite),
    rows: shown,
    otherRows: { keys: rest.length, count: rest.reduce((n, r) => n + r.count, 0) },
    topPeers: peers.filter((p) => p.count > 0).slice(0, 3),
  };
}

function peerKey(r: { peer?: string | null }): string | undefined {
  return r.peer === undefined ? undefined : (r.peer ?? '(unknown)');
}

// Keys seen now, busiest first; then keys gone quiet since the previous period, so a fix shows as a drop to 0.
function compare(current: ReadonlyMap<string, number>, previous: ReadonlyMap<string, number>): StatsRow[] {
  const seen = busiest(current, Number.POSITIVE_INFINITY).map(([key, count]) => ({ key, count, previous: previous.get(key) ?? 0 }));
  const gone = busiest(previous, Number.POSITIVE_INFINITY)
    .filter(([key]) => !current.has(key))
    .map(([key, count]) => ({ key, count: 0, previous: count }));
  return [...seen, ...gone];
}
