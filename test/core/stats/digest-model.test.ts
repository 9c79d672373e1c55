import { describe, expect, it } from 'vitest';
import { buildDigest, digestPeriod, digestQueries, SPIKE_MIN_COUNT, SPIKE_RATIO } from '../../../src/core/stats/digest-model.js';
import { AT, D, EMPTY_ROWS, hourOf, PERIOD, ROWS } from './digest-fixture.js';

describe('digest period and queries', () => {
  it('covers the 24 whole hours before the scheduled time, rounded down to the hour', () => {
    expect(digestPeriod(AT)).toEqual({ from: Date.UTC(2026, 10, 24, 9), to: AT });
    expect(digestPeriod(AT + 30 * 60_000)).toEqual(digestPeriod(AT));
  });

  it('reads each hour of the 35 days once: the day, its peers, the week before, and the 4 weeks before that', () => {
    const q = digestQueries(PERIOD);
    expect(q.day).toEqual({ from: PERIOD.from, to: PERIOD.to, by: ['hour', 'code', 'kind', 'method'] });
    expect(q.peers).toEqual({ from: PERIOD.from, to: PERIOD.to, by: ['peer', 'code'], kinds: ['failure'] });
    expect(q.history).toEqual({ from: PERIOD.from - 7 * D, to: PERIOD.from, by: ['hour', 'code', 'kind', 'method'] });
    expect(q.earlier).toEqual({ from: PERIOD.to - 35 * D, to: PERIOD.from - 7 * D, by: ['code'], kinds: ['failure'] });
  });
});

describe('digest model', () => {
  const m = buildDigest({ period: PERIOD, rows: ROWS });

  it('totals failures by class, with 408s as timeouts and cancels apart', () => {
    expect(m.failures).toBe(60);
    expect(m.byClass).toEqual({ '4xx': 9, '5xx': 50, '6xx': 1, other: 0 });
    expect(m.timeouts).toBe(4);
    expect(m.asr).toEqual({ answered: 900, failed: 56, cancelled: 12, ratio: 900 / 956 });
    expect(m.previousAsr).toEqual({ answered: 950, failed: 13, cancelled: 0, ratio: 950 / 963 });
  });

  it('ranks the top codes with their change against the day before and the 7-day daily average', () => {
    expect(m.historyDays).toBe(7);
    expect(m.topCodes).toEqual([
      { code: 503, count: 50, previousDay: 10, weekAverage: 10 },
      { code: 486, count: 5, previousDay: 3, weekAverage: 3 },
      { code: 408, count: 4, previousDay: 0, weekAverage: 0 },
      { code: 604, count: 1, previousDay: 0, weekAverage: 0 },
    ]);
    expect(m.previousDay).toBe(13);
    expect(m.weekAverage).toBe((70 + 21 + 6) / 7);
  });

  it('finds the codes new this week: seen in the last 7 days and not in the 28 before', () => {
    expect(m.newCodes).toEqual([
      { code: 477, count: 6 },
      { code: 604, count: 1 },
    ]);
  });

  it('ranks failing peers with the code each failed with most, unknown peers named as such', () => {
    expect(m.topPeers).toEqual([
      { peer: '203.0.113.7', count: 46, topCode: 503 },
      { peer: '198.51.100.20', count: 9, topCode: 503 },
      { peer: '(unknown)', count: 4, topCode: 408 },
      { peer: '192.0.2.9', count: 1, topCode: 604 },
    ]);
  });

  it(`flags an hour as spiking at ≥ ${SPIKE_MIN_COUNT} failures and ≥ ${SPIKE_RATIO}× the same hour's mean`, () => {
    // 14:00: 40 against 3 every day before: a spike. 10:00: 15 against 10: busy but usual.
    expect(m.spikes).toEqual([{ hour: hourOf(0, 14), count: 40, usual: 3 }]);
    const ten = m.hours.find((b) => b.hour === hourOf(0, 10));
    expect(ten).toEqual({ hour: hourOf(0, 10), byClass: { '4xx': 5, '5xx': 10, '6xx': 0, other: 0 }, baseline: 10 });
  });

  it('charts every hour of the day in order, quiet ones included', () => {
    expect(m.hours).toHaveLength(24);
    expect(m.hours[0]?.hour).toBe(PERIOD.from);
    expect(m.hours.every((b, i) => b.hour === PERIOD.from + i * 3_600_000)).toBe(true);
    expect(m.hours.reduce((n, b) => n + b.byClass['4xx'] + b.byClass['5xx'] + b.byClass['6xx'], 0)).toBe(60);
  });

  it('averages over the days actually recorded on a young store, and calls nothing new yet', () => {
    const young = buildDigest({
      period: PERIOD,
      rows: { ...ROWS, earlier: [], history: ROWS.history.filter((r) => (r.hour ?? 0) >= PERIOD.from - 2 * D) },
    });
    expect(young.historyDays).toBe(2);
    expect(young.topCodes[0]).toEqual({ code: 503, count: 50, previousDay: 10, weekAverage: 10 });
    expect(young.newCodes).toEqual([]);
  });

  it('has no history to compare with on a store that began today, and flags no spikes', () => {
    const fresh = buildDigest({ period: PERIOD, rows: { ...ROWS, earlier: [], history: [] }, recordingSince: PERIOD.from + 3_600_000 });
    expect(fresh.historyDays).toBe(0);
    expect(fresh.weekAverage).toBeNull();
    expect(fresh.topCodes[0]?.weekAverage).toBeNull();
    expect(fresh.spikes).toEqual([]);
    expect(fresh.hours.every((b) => b.baseline === null)).toBe(true);
  });

  it('keeps lists bounded to the top 10', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ hour: hourOf(0, 12), code: 400 + i, kind: 'failure' as const, count: 30 - i }));
    const big = buildDigest({ period: PERIOD, rows: { ...ROWS, day: many } });
    expect(big.topCodes).toHaveLength(10);
    expect(big.topCodes.map((c) => c.code)).toEqual([400, 401, 402, 403, 404, 405, 406, 407, 408, 409]);
  });

  it('covers a shorter period against the same hours of the days before (siptriage digest --since 6h)', () => {
    const six = digestPeriod(AT - 10 * 3_600_000, 6 * 3_600_000); // 17:00 to 23:00 on the 24th
    expect(six).toEqual({ from: hourOf(0, 17), to: hourOf(0, 23) });
    expect(digestQueries(six).history).toMatchObject({ from: six.from - 7 * D, to: six.from });
    // What the store returns for those windows: the day's rows before 17:00 are history now.
    const inSix = (r: { hour?: number }): boolean => (r.hour ?? 0) >= six.from && (r.hour ?? 0) < six.to;
    const history = [...ROWS.history, ...ROWS.day.filter((r) => (r.hour ?? 0) < six.from)];
    const m = buildDigest({ period: six, rows: { ...ROWS, day: ROWS.day.filter(inSix), history } });
    expect(m.hours).toHaveLength(6);
    expect(m.failures).toBe(5);
    // The 6 hours before (11:00 to 17:00) had the 40 failures of 14:00.
    expect(m.previousDay).toBe(40);
    // Neither 10:00 nor 14:00 falls between 17:00 and 23:00 on the days before: nothing usually fails then.
    expect(m.weekAverage).toBe(0);
    expect(digestPeriod(AT, 72 * 3_600_000)).toEqual(PERIOD);
  });

  it('is an empty day when nothing failed', () => {
    const quiet = buildDigest({ period: PERIOD, rows: EMPTY_ROWS });
    expect(quiet.failures).toBe(0);
    expect(quiet.topCodes).toEqual([]);
    expect(quiet.asr.ratio).toBe(1);
  });
});
