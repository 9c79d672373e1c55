import type { CountRow } from '../../../src/core/stats/count-rows.js';
import { digestPeriod, type DigestQueryName } from '../../../src/core/stats/digest-model.js';

/**
 * The roll-up rows Store.counts() returns for the digest scheduled at 09:00 UTC on 25 Nov 2026, written out by
 * hand so that every expected figure can be checked on paper:
 * - the day: 503 ×50 (10 at 10:00, 40 at 14:00), 486 ×5 at 10:00, 604 ×1 at 20:00 on INVITE; 408 ×4 at 20:00 on
 *   REGISTER; 12 INVITEs cancelled and 900 answered;
 * - each of the 7 days before: 503 ×10 at 10:00 and 486 ×3 at 14:00; the day before also had 950 INVITEs
 *   answered; 477 failed 6 times on the 22nd;
 * - the 4 weeks before this week: 503, 486 and 408 (so 477 and 604 are new).
 */
export const AT = Date.UTC(2026, 10, 25, 9, 0, 0);
export const PERIOD = digestPeriod(AT);
const H = 3_600_000;
const D = 24 * H;
export const hourOf = (dayOffset: number, hour: number): number => Date.UTC(2026, 10, 24 + dayOffset, hour);

const history: CountRow[] = [];
for (let d = 1; d <= 7; d++) {
  history.push(
    { hour: hourOf(-d, 10), code: 503, kind: 'failure', method: 'INVITE', count: 10 },
    { hour: hourOf(-d, 14), code: 486, kind: 'failure', method: 'INVITE', count: 3 },
  );
}
history.push(
  { hour: hourOf(-2, 16), code: 477, kind: 'failure', method: 'INVITE', count: 6 },
  // 02:00 on the 24th: within the day before the period (from 09:00 on the 23rd).
  { hour: hourOf(0, 2), code: 200, kind: 'answered', method: 'INVITE', count: 950 },
);

export const ROWS: Readonly<Record<DigestQueryName, CountRow[]>> = {
  day: [
    { hour: hourOf(0, 10), code: 503, kind: 'failure', method: 'INVITE', count: 10 },
    { hour: hourOf(0, 10), code: 486, kind: 'failure', method: 'INVITE', count: 5 },
    { hour: hourOf(0, 14), code: 503, kind: 'failure', method: 'INVITE', count: 40 },
    { hour: hourOf(0, 20), code: 408, kind: 'failure', method: 'REGISTER', count: 4 },
    { hour: hourOf(0, 20), code: 604, kind: 'failure', method: 'INVITE', count: 1 },
    { hour: hourOf(0, 11), code: 487, kind: 'cancelled', method: 'INVITE', count: 12 },
    { hour: hourOf(0, 11), code: 200, kind: 'answered', method: 'INVITE', count: 900 },
  ],
  peers: [
    { peer: '203.0.113.7', code: 503, count: 45 },
    { peer: '203.0.113.7', code: 486, count: 1 },
    { peer: '198.51.100.20', code: 486, count: 4 },
    { peer: '198.51.100.20', code: 503, count: 5 },
    { peer: null, code: 408, count: 4 },
    { peer: '192.0.2.9', code: 604, count: 1 },
  ],
  history,
  earlier: [
    { code: 503, count: 300 },
    { code: 486, count: 80 },
    { code: 408, count: 2 },
  ],
};

export const EMPTY_ROWS: Readonly<Record<DigestQueryName, CountRow[]>> = {
  day: [{ hour: hourOf(0, 11), code: 200, kind: 'answered', method: 'INVITE', count: 40 }],
  peers: [],
  history: [
    { hour: hourOf(0, 3), code: 503, kind: 'failure', method: 'INVITE', count: 2 },
    { hour: hourOf(0, 4), code: 200, kind: 'answered', method: 'INVITE', count: 30 },
  ],
  earlier: [{ code: 503, count: 9 }],
};
export { D, H };
