import { describe, expect, it } from 'vitest';
import { parseStatsQuery } from '../../../src/core/query/stats-query.js';
import type { CountRow } from '../../../src/core/stats/count-rows.js';
import { statsCard } from '../../../src/core/stats/stats-card.js';
import { buildStats, statsPeriods, statsQueries, type StatsQueryName } from '../../../src/core/stats/stats-model.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';

const kb = defaultKnowledge();
const NOW = Date.UTC(2026, 10, 25, 9, 20);
const H = 3_600_000;

// Read by hour, kind, code and method, and failures by peer. Now: 162 failures (160 on INVITE), 7 cancelled,
// 800 answered; peers 203.0.113.7 125, 198.51.100.20 27, unknown 10. Before: 109 failures (100 on INVITE), 900 answered.
const T = Date.UTC(2026, 10, 25, 3);
const rows: Record<StatsQueryName, CountRow[]> = {
  current: [
    { hour: T, code: 503, kind: 'failure', method: 'INVITE', count: 100 },
    { hour: T + H, code: 503, kind: 'failure', method: 'INVITE', count: 20 },
    { hour: T, code: 486, kind: 'failure', method: 'INVITE', count: 30 },
    { hour: T, code: 408, kind: 'failure', method: 'INVITE', count: 8 },
    { hour: T, code: 408, kind: 'failure', method: 'REGISTER', count: 2 },
    { hour: T, code: 603, kind: 'failure', method: 'INVITE', count: 2 },
    { hour: T, code: 487, kind: 'cancelled', method: 'INVITE', count: 7 },
    { hour: T, code: 200, kind: 'answered', method: 'INVITE', count: 800 },
  ],
  previous: [
    { hour: T - 24 * H, code: 503, kind: 'failure', method: 'INVITE', count: 60 },
    { hour: T - 24 * H, code: 486, kind: 'failure', method: 'INVITE', count: 40 },
    { hour: T - 24 * H, code: 404, kind: 'failure', method: 'REGISTER', count: 9 },
    { hour: T - 24 * H, code: 200, kind: 'answered', method: 'INVITE', count: 900 },
  ],
  currentPeers: [
    { peer: '203.0.113.7', count: 125 },
    { peer: null, count: 10 },
    { peer: '198.51.100.20', count: 27 },
  ],
  previousPeers: [
    { peer: '203.0.113.7', count: 70 },
    { peer: '198.51.100.20', count: 39 },
  ],
};

const p30 = (q: ReturnType<typeof statsQueries>): { from: number; to: number } => ({ from: q.current.from, to: q.current.to });

const query = (text: string): ReturnType<typeof parseStatsQuery> & { ok: true } => {
  const q = parseStatsQuery(text);
  if (!q.ok) throw new Error(q.problem);
  return q;
};

describe('stats periods', () => {
  it('ends with the hour in progress and compares with the period of equal length before it', () => {
    const p = statsPeriods('7d', NOW);
    expect(p.current).toEqual({ from: Date.UTC(2026, 10, 18, 10), to: Date.UTC(2026, 10, 25, 10) });
    expect(p.previous).toEqual({ from: Date.UTC(2026, 10, 11, 10), to: Date.UTC(2026, 10, 18, 10) });
    const q = statsQueries(query('30d peer').query, NOW);
    expect(q.current.to - q.current.from).toBe(30 * 24 * H);
    expect(q.previous).toEqual({ from: q.current.from - 30 * 24 * H, to: q.current.from, by: ['hour', 'kind', 'code', 'method'] });
    expect(q.currentPeers).toEqual({ ...p30(q), by: ['peer'], kinds: ['failure'] });
  });
});

describe('stats by code, class and peer', () => {
  it('breaks failures down by code against the previous period, gone-quiet codes last', () => {
    const m = buildStats(query('').query, NOW, rows);
    expect(m).toMatchObject({ range: '24h', by: 'code', failures: 162, previousFailures: 109, timeouts: 10 });
    expect(m.rows).toEqual([
      { key: '503', count: 120, previous: 60 },
      { key: '486', count: 30, previous: 40 },
      { key: '408', count: 10, previous: 0 },
      { key: '603', count: 2, previous: 0 },
      { key: '404', count: 0, previous: 9 },
    ]);
    expect(m.asr.ratio).toBeCloseTo(800 / 960, 10);
    expect(m.topPeers.map((p) => p.key)).toEqual(['203.0.113.7', '198.51.100.20', '(unknown)']);
  });

  it('breaks failures down by class', () => {
    const m = buildStats(query('7d class').query, NOW, rows);
    expect(m.rows).toEqual([
      { key: '5xx', count: 120, previous: 60 },
      { key: '4xx', count: 40, previous: 49 },
      { key: '6xx', count: 2, previous: 0 },
    ]);
  });

  it('breaks failures down by peer', () => {
    const m = buildStats(query('peers').query, NOW, rows);
    expect(m.rows).toEqual([
      { key: '203.0.113.7', count: 125, previous: 70 },
      { key: '198.51.100.20', count: 27, previous: 39 },
      { key: '(unknown)', count: 10, previous: 0 },
    ]);
  });

  it('keeps the table to 10 rows and sums the rest', () => {
    const many: CountRow[] = Array.from({ length: 14 }, (_, i) => ({ code: 480 + i, kind: 'failure' as const, count: 20 - i }));
    const m = buildStats(query('').query, NOW, { ...rows, current: many, previous: [] });
    expect(m.rows).toHaveLength(10);
    // Counts 20 down to 7: the table shows 20…11, the rest is 10 + 9 + 8 + 7.
    expect(m.otherRows).toEqual({ keys: 4, count: 34 });
  });
});

describe('stats card', () => {
  it('shows the breakdown with reason phrases, changes, and buttons to each code card', () => {
    const card = statsCard(kb, buildStats(query('').query, NOW, rows), 'UTC');
    expect(card).toMatchObject({ kind: 'stats', title: 'SIP errors, the last 24 hours, by code', tone: 'critical' });
    expect(card.summary).toBe('162 failed calls in the last 24 hours: +49% against the 24 hours before (109).');
    expect(card.fields.map((f) => `${f.label}: ${f.value}`)).toEqual([
      '4xx: 40 (−18%)',
      '5xx: 120 (+100%)',
      '6xx: 2 (new)',
      'Timeouts (408): 10',
      'Cancelled: 7',
      'ASR (INVITE): 83.3% (800 of 960, was 90.0%)',
    ]);
    expect(card.sections[0]).toEqual({
      title: 'By code',
      items: [
        '503 Service Unavailable: 120 (was 60, +100%)',
        '486 Busy Here: 30 (was 40, −25%)',
        '408 Request Timeout: 10 (was 0, new)',
        '603 Decline: 2 (was 0, new)',
        '404 Not Found: 0 (was 9, −100%)',
      ],
    });
    expect(card.actions?.map((a) => a.query)).toEqual(['503', '486', '408', '603']);
    expect(card.footer).toContain('From 10:00 Tue 24 Nov 2026 to 09:20 Wed 25 Nov 2026 (UTC; the current hour so far)');
  });

  it('has no code buttons when broken down by peer, and no peer section twice', () => {
    const card = statsCard(kb, buildStats(query('7d peer').query, NOW, rows), 'UTC');
    expect(card.actions).toBeUndefined();
    expect(card.sections.map((s) => s.title)).toEqual(['By peer']);
  });

  it('says so plainly when nothing failed in either period', () => {
    const none = { current: [], previous: [], currentPeers: [], previousPeers: [] };
    const card = statsCard(kb, buildStats(query('30d').query, NOW, none), 'UTC');
    expect(card).toMatchObject({ tone: 'success', sections: [], summary: 'No SIP errors recorded in the last 30 days, nor in the 30 days before.' });
  });
});
