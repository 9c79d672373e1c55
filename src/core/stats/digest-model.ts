import type { QualityModel } from './quality-model.js';
import { busiest, classOf, DAY_MS, HOUR_MS, isFailure, sum, sumBy, type CountRow, type RowQueries, type RowSets } from './count-rows.js';

/**
 * The daily digest as data: what failed in the 24 hours before the scheduled time, compared with the day before
 * and with the week before that. Pure: rows in (from the store's hourly roll-ups), numbers out; cards and the
 * chart are drawn from this model, and `siptriage digest --json` prints it.
 */

/** Lists shown in chat are bounded: Slack allows 50 blocks, Discord 25 fields and 1024 characters per field. */
export const TOP = 10;
/**
 * An hour spiked when it had at least SPIKE_MIN_COUNT failures and at least SPIKE_RATIO times the mean of the
 * same hour over the days of history (up to 7). The floor keeps a quiet hour going from 1 to 4 failures out of
 * the list; 3× is the default spike ratio of live alerts (ALERT_RATIO), applied here to whole hours.
 */
export const SPIKE_MIN_COUNT = 20;
export const SPIKE_RATIO = 3;
/** How far back the comparisons look: the 7 days before the period, and 28 days before the last 7 for new codes. */
export const WEEK_DAYS = 7;
export const NEW_CODE_LOOKBACK_DAYS = 28;

export interface DigestPeriod {
  /** Whole hours: [from, to), normally the 24 hours ending at the scheduled time (rounded down to the hour). */
  readonly from: number;
  readonly to: number;
  /**
   * Set for a digest asked for now (`/sip digest now`, `siptriage digest`): the period runs to the end of the
   * hour in progress, so failures of the last minutes count, and this is when it was asked (what it shows).
   */
  readonly asOf?: number;
}

export type DigestQueryName = 'day' | 'peers' | 'history' | 'earlier';

/**
 * The period of the digest scheduled at `at`: the 24 whole hours before it, or fewer (`siptriage digest
 * --since 6h`); at most a day, so that every hour has its same hour on the days before to compare with.
 */
export function digestPeriod(at: number, lengthMs = DAY_MS, upToNow = false): DigestPeriod {
  const hours = Math.min(24, Math.max(1, Math.round(lengthMs / HOUR_MS)));
  const hourStart = Math.floor(at / HOUR_MS) * HOUR_MS;
  // Up to now: the hour in progress is one of the hours, read whole (roll-ups are hourly; nothing is later).
  const to = upToNow && at > hourStart ? hourStart + HOUR_MS : hourStart;
  return { from: to - hours * HOUR_MS, to, ...(upToNow ? { asOf: at } : {}) };
}

/**
 * The roll-up reads one digest needs, each hour read once: the period itself (by hour, code, kind and method,
 * from which totals, ASR and the chart come), its peers, the 7 days before it (the day before, the hourly
 * baseline, the averages and most of "this week" come from these rows), and the rest of the 4 weeks before
 * this week by code alone, for new codes. A few thousand rows whatever the number of events; all but the peers
 * are served by the store's roll-up without peers.
 */
export function digestQueries(p: DigestPeriod): RowQueries<DigestQueryName> {
  const historyFrom = p.from - WEEK_DAYS * DAY_MS;
  return {
    day: { from: p.from, to: p.to, by: ['hour', 'code', 'kind', 'method'] },
    peers: { from: p.from, to: p.to, by: ['peer', 'code'], kinds: ['failure'] },
    history: { from: historyFrom, to: p.from, by: ['hour', 'code', 'kind', 'method'] },
    earlier: { from: p.to - (WEEK_DAYS + NEW_CODE_LOOKBACK_DAYS) * DAY_MS, to: historyFrom, by: ['code'], kinds: ['failure'] },
  };
}

export interface ClassTotals {
  readonly '4xx': number;
  readonly '5xx': number;
  readonly '6xx': number;
  /** Failures outside 4xx-6xx (a 3xx a caller could not follow): rare, shown only when present. */
  readonly other: number;
}

export interface Asr {
  readonly answered: number;
  readonly failed: number;
  /** CANCELled INVITEs: the caller hung up, neither answered nor failed (RFC 3261 §9.1, 487). */
  readonly cancelled: number;
  /** answered / (answered + failed); null when no INVITE was answered or failed. */
  readonly ratio: number | null;
}

export interface TopCode {
  readonly code: number;
  readonly count: number;
  /** Failures with this code in the period of the same length just before (the day before, for a daily digest). */
  readonly previousDay: number;
  /** Mean failures with this code in the same hours of each day of history (up to 7); null without history. */
  readonly weekAverage: number | null;
}

export interface TopPeer {
  readonly peer: string;
  readonly count: number;
  /** The code this peer failed with most. */
  readonly topCode: number;
}

export interface SpikeHour {
  readonly hour: number;
  readonly count: number;
  /** Mean failures in the same hour over the days of history. */
  readonly usual: number;
}

export interface NewCode {
  readonly code: number;
  /** Failures with it in the last 7 days. */
  readonly count: number;
}

export interface HourBar {
  readonly hour: number;
  readonly byClass: ClassTotals;
  /** Mean failures in the same hour over the days of history; null without history. */
  readonly baseline: number | null;
}

export interface DigestModel {
  readonly period: DigestPeriod;
  /** Days of history the comparisons rest on (0-7): fewer when the store is younger than a week. */
  readonly historyDays: number;
  readonly failures: number;
  readonly byClass: ClassTotals;
  /** Failures counted as 408: real 408 responses and requests nobody answered (RFC 3261 §17.1.1.2). */
  readonly timeouts: number;
  readonly previousDay: number;
  readonly weekAverage: number | null;
  readonly asr: Asr;
  readonly previousAsr: Asr;
  readonly topCodes: readonly TopCode[];
  /** Codes seen in the last 7 days and not in the 28 days before. */
  readonly newCodes: readonly NewCode[];
  readonly topPeers: readonly TopPeer[];
  readonly spikes: readonly SpikeHour[];
  readonly hours: readonly HourBar[];
  /** Audio quality of the period's calls, when the store keeps it (live RTCP / RFC 6035 reports). */
  readonly quality?: QualityModel;
}

export interface DigestInput {
  readonly period: DigestPeriod;
  readonly rows: RowSets<DigestQueryName>;
  /** When the store began recording (StoreInfo.createdAt): history before it is absence, not zero failures. */
  readonly recordingSince?: number;
}

export function buildDigest({ period, rows: read, recordingSince }: DigestInput): DigestModel {
  const rows = deriveRows(period, read);
  const firstRecorded = firstRecordedHour(rows, recordingSince);
  const historyDays = read.earlier.length > 0 ? WEEK_DAYS : Math.max(0, Math.min(WEEK_DAYS, Math.ceil((period.from - firstRecorded) / DAY_MS)));
  const dayFailures = rows.day.filter(isFailure);
  const failures = sum(dayFailures);
  const byCode = sumBy(dayFailures, (r) => r.code);
  const previousByCode = sumBy(rows.previousDay, (r) => r.code);
  // The same hours of the day as the period, on each day before it (all of them for a 24-hour digest).
  const length = period.to - period.from;
  const sameHours = (r: CountRow): boolean => r.hour !== undefined && ((((r.hour - period.from) % DAY_MS) + DAY_MS) % DAY_MS) < length;
  const week = rows.week.filter(sameHours);
  const weekByCode = sumBy(week, (r) => r.code);
  const avg = (n: number): number | null => (historyDays === 0 ? null : n / historyDays);

  const topCodes = busiest(byCode, TOP).map(([code, count]) => ({
    code,
    count,
    previousDay: previousByCode.get(code) ?? 0,
    weekAverage: avg(weekByCode.get(code) ?? 0),
  }));

  const earlier = new Set(sumBy(rows.earlier, (r) => r.code).keys());
  // "New" needs something recorded before the last 7 days; on a store younger than that everything is new.
  const lastWeekFrom = period.to - WEEK_DAYS * DAY_MS;
  const newCodes =
    rows.earlier.length === 0 && !(firstRecorded < lastWeekFrom)
      ? []
      : busiest(sumBy(rows.lastWeek, (r) => r.code), Number.POSITIVE_INFINITY)
          .filter(([code]) => !earlier.has(code))
          .slice(0, TOP)
          .map(([code, count]) => ({ code, count }));

  const peerCounts = sumBy(rows.peers, (r) => (r.peer === undefined ? undefined : (r.peer ?? '(unknown)')));
  const topPeers = busiest(peerCounts, TOP).map(([peer, count]) => {
    const codes = sumBy(rows.peers, (r) => r.code, (r) => (r.peer ?? '(unknown)') === peer);
    return { peer, count, topCode: busiest(codes, 1)[0]?.[0] ?? 0 };
  });

  const weekByHour = sumBy(rows.week, (r) => r.hour);
  const hours: HourBar[] = [];
  for (let h = period.from; h < period.to; h += HOUR_MS) {
    const here = dayFailures.filter((r) => r.hour === h);
    let usual = 0;
    for (let d = 1; d <= historyDays; d++) usual += weekByHour.get(h - d * DAY_MS) ?? 0;
    hours.push({ hour: h, byClass: classTotals(here), baseline: historyDays === 0 ? null : usual / historyDays });
  }
  const spikes = hours
    .map((b) => ({ hour: b.hour, count: total(b.byClass), usual: b.baseline }))
    .filter((s): s is SpikeHour => s.usual !== null && s.count >= SPIKE_MIN_COUNT && s.count >= SPIKE_RATIO * s.usual);

  return {
    period,
    historyDays,
    failures,
    byClass: classTotals(dayFailures),
    timeouts: byCode.get(408) ?? 0,
    previousDay: sum(rows.previousDay),
    weekAverage: avg(sum(week)),
    asr: asrOf(rows.invite),
    previousAsr: asrOf(rows.previousInvite),
    topCodes,
    newCodes,
    topPeers,
    spikes,
    hours,
  };
}

export function classTotals(rows: readonly CountRow[]): ClassTotals {
  const t = { '4xx': 0, '5xx': 0, '6xx': 0, other: 0 };
  for (const r of rows) {
    const c = classOf(r.code ?? 0);
    t[c === 0 ? 'other' : (`${c}xx` as const)] += r.count;
  }
  return t;
}

export function total(t: ClassTotals): number {
  return t['4xx'] + t['5xx'] + t['6xx'] + t.other;
}

/** Answer-seizure ratio over INVITEs (ITU-T E.425): answered over answered plus failed; cancels are neither. */
export function asrOf(rows: readonly CountRow[]): Asr {
  const answered = sum(rows, (r) => r.kind === 'answered');
  const failed = sum(rows, (r) => r.kind === 'failure');
  const cancelled = sum(rows, (r) => r.kind === 'cancelled');
  return { answered, failed, cancelled, ratio: answered + failed === 0 ? null : answered / (answered + failed) };
}

interface Derived {
  readonly day: readonly CountRow[];
  readonly invite: readonly CountRow[];
  readonly peers: readonly CountRow[];
  readonly previousDay: readonly CountRow[];
  readonly previousInvite: readonly CountRow[];
  /** Failures by hour and code over the 7 days before the period. */
  readonly week: readonly CountRow[];
  /** Failures by code over the last 7 days, the period included. */
  readonly lastWeek: readonly CountRow[];
  /** Failures by code over the 28 days before the last 7. */
  readonly earlier: readonly CountRow[];
}

// Every comparison from the four reads: the day before and the first day of the last 7 lie inside the history.
function deriveRows(period: DigestPeriod, read: RowSets<DigestQueryName>): Derived {
  const previousFrom = 2 * period.from - period.to;
  const lastWeekFrom = period.to - WEEK_DAYS * DAY_MS;
  const week = read.history.filter(isFailure);
  const invite = (r: CountRow): boolean => r.method === 'INVITE';
  return {
    day: read.day,
    invite: read.day.filter(invite),
    peers: read.peers,
    previousDay: week.filter((r) => (r.hour ?? 0) >= previousFrom),
    previousInvite: read.history.filter((r) => invite(r) && (r.hour ?? 0) >= previousFrom),
    week,
    lastWeek: [...week.filter((r) => (r.hour ?? 0) >= lastWeekFrom), ...read.day.filter(isFailure)],
    earlier: [...read.earlier, ...week.filter((r) => (r.hour ?? 0) < lastWeekFrom)],
  };
}

// The 7-day comparisons divide by the days actually recorded: a store two days old averages over two days.
// Data older than the week means the whole week was recorded; otherwise the first recorded hour (or the
// store's creation, whichever is earlier) bounds it. Infinity when nothing says recording had begun.
function firstRecordedHour(rows: Derived, recordingSince: number | undefined): number {
  let first = recordingSince ?? Number.POSITIVE_INFINITY;
  for (const r of [...rows.week, ...rows.day]) if (r.hour !== undefined && r.hour < first) first = r.hour;
  return first;
}
