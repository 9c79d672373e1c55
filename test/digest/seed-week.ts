import { hashCallId, type CallEventKind } from '../../src/core/triage/call-events.js';
import type { Store, StoredEvent } from '../../src/ports/store.js';

/**
 * A week and a day of call events with answers that can be worked out by hand, recorded through the store's
 * own recordEvents at fixed times. The digest under test is the one scheduled at 09:00 UTC on 25 Nov 2026,
 * covering 24 Nov 09:00 to 25 Nov 09:00.
 *
 * Each of the 7 days before: 503 ×10 at 10:xx from 203.0.113.7, 486 ×3 at 14:xx from 198.51.100.20, 50 answered.
 * Three weeks earlier: 480 ×2 (so 480 is not new). The day itself: 503 ×10 at 10:xx and ×40 at 14:xx (a spike:
 * 14:00 usually has 3), 486 ×5 at 10:xx, 477 ×6 and 408 ×4 at 20:xx, 403 ×2 on REGISTER at 12:xx, 480 ×1,
 * 12 cancelled and 900 answered INVITEs.
 */
export const SCHEDULED = Date.UTC(2026, 10, 25, 9);
export const FROM = SCHEDULED - 86_400_000;
const H = 3_600_000;
const D = 24 * H;

export interface Batch {
  readonly at: number;
  readonly n: number;
  readonly code: number;
  readonly kind?: CallEventKind;
  readonly method?: string;
  readonly peer?: string | null;
}

export const SEEDED_WEEK: readonly Batch[] = [
  ...[1, 2, 3, 4, 5, 6, 7].flatMap((d): Batch[] => [
    { at: FROM - d * D + 1 * H, n: 10, code: 503, peer: '203.0.113.7' },
    { at: FROM - d * D + 5 * H, n: 3, code: 486, peer: '198.51.100.20' },
    { at: FROM - d * D + 3 * H, n: 50, code: 200, kind: 'answered' },
  ]),
  { at: FROM - 20 * D, n: 2, code: 480, peer: '203.0.113.7' },
  { at: FROM + 1 * H, n: 10, code: 503, peer: '203.0.113.7' },
  { at: FROM + 5 * H, n: 40, code: 503, peer: '203.0.113.7' },
  { at: FROM + 1 * H, n: 5, code: 486, peer: '198.51.100.20' },
  { at: FROM + 11 * H, n: 6, code: 477, peer: '192.0.2.9' },
  { at: FROM + 11 * H, n: 4, code: 408, peer: null },
  { at: FROM + 3 * H, n: 2, code: 403, method: 'REGISTER', peer: 'registrar.example.net' },
  { at: FROM + 7 * H, n: 1, code: 480, peer: '203.0.113.7' },
  { at: FROM + 2 * H, n: 12, code: 487, kind: 'cancelled' },
  { at: FROM + 2 * H, n: 900, code: 200, kind: 'answered' },
];

let calls = 0;

/** The batches as stored events, a minute apart within each batch, every one its own call. */
export function events(batches: readonly Batch[], origin: Pick<StoredEvent, 'surface' | 'workspace' | 'channel'> = { surface: 'hep', workspace: null, channel: null }): StoredEvent[] {
  return batches.flatMap((b) =>
    Array.from({ length: b.n }, (_, i): StoredEvent => ({
      ...origin,
      time: b.at + i * 30_000,
      kind: b.kind ?? 'failure',
      code: b.code,
      method: b.method ?? 'INVITE',
      peer: b.peer === undefined ? (b.kind === 'answered' ? '203.0.113.7' : null) : b.peer,
      product: null,
      q850: null,
      findings: [],
      callIdHash: hashCallId(`seed-${++calls}@example.net`),
    })),
  );
}

export async function seed(store: Store, batches: readonly Batch[] = SEEDED_WEEK): Promise<number> {
  const all = events(batches);
  const r = await store.recordEvents(all);
  return r.inserted;
}
