import type { CountRow } from '../../../src/core/stats/count-rows.js';
import { digestPeriod, type DigestQueryName } from '../../../src/core/stats/digest-model.js';

/**
 * A day of roll-up rows as Store.counts() returns them for the digest scheduled at 09:00 UTC on 25 Nov 2026,
 * written out by hand so that every expected figure can be checked on paper:
 * - the day: 503 ×50 (10 at 10:00, 40 at 14:00), 486 ×5 at 10:00, 408 ×4 and 604 ×1 at 20:00;
 * - the day before: 503 ×20, 486 ×3; the week before: 503 ×10 at 10:00 and 486 ×3 at 14:00 every day;
 * - 477 failed this week only, after 503 and 486 in the 4 weeks before.
 */
export const AT = Date.UTC(2026, 10, 25, 9, 0, 0);
export const PERIOD = digestPeriod(AT);
const H = 3_600_000;
const D = 24 * H;
export const hourOf = (dayOffset: number, hour: number): number => Date.UTC(2026, 10, 24 + dayOffset, hour);

const week: CountRow[] = [];
for (let d = 1; d <= 7; d++) {
  week.push({ hour: hourOf(-d, 10), code: 503, count: 10 }, { hour: hourOf(-d, 14), code: 486, count: 3 });
}

export const ROWS: Readonly<Record<DigestQueryName, CountRow[]>> = {
  day: [
    { hour: hourOf(0, 10), code: 503, kind: 'failure', count: 10 },
    { hour: hourOf(0, 10), code: 486, kind: 'failure', count: 5 },
    { hour: hourOf(0, 14), code: 503, kind: 'failure', count: 40 },
    { hour: hourOf(0, 20), code: 408, kind: 'failure', count: 4 },
    { hour: hourOf(0, 20), code: 604, kind: 'failure', count: 1 },
    { hour: hourOf(0, 11), code: 487, kind: 'cancelled', count: 12 },
    { hour: hourOf(0, 11), code: 200, kind: 'answered', count: 900 },
  ],
  invite: [
    { kind: 'answered', count: 900 },
    { kind: 'failure', count: 56 },
    { kind: 'cancelled', count: 12 },
  ],
  peers: [
    { peer: '203.0.113.7', code: 503, count: 45 },
    { peer: '203.0.113.7', code: 486, count: 1 },
    { peer: '198.51.100.20', code: 486, count: 4 },
    { peer: '198.51.100.20', code: 503, count: 5 },
    { peer: null, code: 408, count: 4 },
    { peer: '192.0.2.9', code: 604, count: 1 },
  ],
  previousDay: [
    { code: 503, count: 20 },
    { code: 486, count: 3 },
  ],
  previousInvite: [
    { kind: 'answered', count: 950 },
    { kind: 'failure', count: 50 },
  ],
  week,
  lastWeek: [
    { code: 503, count: 110 },
    { code: 486, count: 23 },
    { code: 477, count: 6 },
    { code: 408, count: 4 },
    { code: 604, count: 1 },
  ],
  earlier: [
    { code: 503, count: 300 },
    { code: 486, count: 80 },
    { code: 408, count: 2 },
  ],
};

export const EMPTY_ROWS: Readonly<Record<DigestQueryName, CountRow[]>> = {
  day: [{ hour: hourOf(0, 11), code: 200, kind: 'answered', count: 40 }],
  invite: [{ kind: 'answered', count: 40 }],
  peers: [],
  previousDay: [{ code: 503, count: 2 }],
  previousInvite: [{ kind: 'answered', count: 30 }, { kind: 'failure', count: 2 }],
  week: [{ hour: hourOf(-1, 3), code: 503, count: 2 }],
  lastWeek: [{ code: 503, count: 2 }],
  earlier: [{ code: 503, count: 9 }],
};
export { D, H };
