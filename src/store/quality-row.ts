import type { CallQuality, DirectionQuality } from '../core/media/call-quality.js';
import { POOR_MOS } from '../core/media/call-quality.js';
import { BAD_MOS } from '../core/stats/quality-model.js';
import type { QualityRecord } from '../ports/store.js';
import { callKey } from './call-key.js';
import { bounded, LIMITS } from './event-row.js';

/** One quality update as both engines write it: the event's key, the call's MOS, and the directions as JSON. */
export interface QualityUpdateRow {
  readonly callKey: bigint;
  readonly mos: number;
  readonly quality: string;
}

const MAX_DIRECTIONS = 4;
const finite = (x: unknown, min: number, max: number): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max ? x : undefined);

/**
 * The row for an update, or undefined when it cannot be stored right (no Call-ID hash, a MOS outside 1–5):
 * hostile reports must not put junk in the store, so each direction is checked and bounded too.
 */
export function qualityUpdateRow(r: QualityRecord): QualityUpdateRow | undefined {
  const hash = bounded(r.callIdHash, LIMITS.callIdHash);
  const mos = finite(r.quality?.mos, 1, 5);
  if (hash === null || mos === undefined || !Array.isArray(r.quality.directions)) return undefined;
  const directions = r.quality.directions.slice(0, MAX_DIRECTIONS).flatMap((d) => {
    const dm = finite(d.mos, 1, 5);
    if (dm === undefined) return [];
    const out: DirectionQuality = {
      from: bounded(d.from, 64) ?? '?',
      to: bounded(d.to, 64) ?? '?',
      mos: dm,
      mosFrom: d.mosFrom === 'reported' ? 'reported' : 'e-model',
      lossPercent: finite(d.lossPercent, 0, 100) ?? 0,
      jitterMs: finite(d.jitterMs, 0, 60_000) ?? 0,
      source: d.source === 'vq-rtcpxr' ? 'vq-rtcpxr' : 'rtcp',
    };
    return [out];
  });
  const quality: CallQuality = { mos, directions };
  return { callKey: callKey(hash), mos, quality: JSON.stringify(quality) };
}

/**
 * Calls with quality in [from, to) by peer and G.107 band (quality-model.ts): raw events, not roll-ups, as
 * only answered calls with reports have a MOS; the time index bounds the read. Placeholders are "?" for
 * SQLite and rewritten to $1, $2 for PostgreSQL.
 */
export const QUALITY_ROWS_SQL = `SELECT peer, CASE WHEN mos < ${BAD_MOS} THEN 'bad' WHEN mos < ${POOR_MOS} THEN 'poor' WHEN mos < 4 THEN 'fair' ELSE 'good' END AS band,
  COUNT(*) AS count, SUM(mos) AS mos_sum FROM {events} WHERE time >= ? AND time < ? AND mos IS NOT NULL GROUP BY peer, band ORDER BY peer, band`;
