import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallQuality } from '../../src/core/media/call-quality.js';
import type { Store } from '../../src/ports/store.js';
import { ev, H, T0, type StoreEngine } from './store-contract.js';

const quality = (mos: number): CallQuality => ({
  mos,
  directions: [{ from: '192.0.2.1:4000', to: '198.51.100.2:5000', mos, mosFrom: 'e-model', lossPercent: 1.5, jitterMs: 12.5, source: 'rtcp' }],
});

/** Per-call audio quality stored with the call's event, and read back by peer and MOS band: every engine alike. */
export function qualityContract(engine: StoreEngine): void {
  describe(`Store contract, call quality: ${engine.name}`, () => {
    const open: Store[] = [];
    const fresh = async (): Promise<Store> => {
      const store = await (await engine.fresh()).open();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(() => engine.cleanup());

    it('stores quality with the answered call\'s event and reads it back by peer and G.107 band', async () => {
      const store = await fresh();
      const calls = [
        ev({ kind: 'answered', code: 200, peer: 'sbc1.example.net' }),
        ev({ kind: 'answered', code: 200, peer: 'sbc1.example.net', time: T0 + H }),
        ev({ kind: 'answered', code: 200, peer: 'gw.example.org', time: T0 + 2 * H }),
        ev({ kind: 'answered', code: 200, peer: 'gw.example.org', time: T0 + 3 * H }),
        ev({ kind: 'answered', code: 200, peer: 'gw.example.org', time: T0 + 4 * H }),
      ];
      await store.recordEvents(calls);
      const mos = [4.3, 3.4, 2.8, 3.9, 4.1];
      expect(await store.recordQuality!(calls.map((c, i) => ({ callIdHash: c.callIdHash, quality: quality(mos[i]!) })))).toBe(5);
      const rows = await store.qualityRows!({ from: T0, to: T0 + 24 * H });
      const pick = (peer: string, band: string) => rows.find((r) => r.peer === peer && r.band === band);
      expect(pick('sbc1.example.net', 'good')).toEqual({ peer: 'sbc1.example.net', band: 'good', count: 1, mosSum: 4.3 });
      expect(pick('sbc1.example.net', 'poor')?.count).toBe(1);
      expect(pick('gw.example.org', 'bad')?.mosSum).toBeCloseTo(2.8, 9);
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(5);
      // The range is [from, to): the first call alone.
      expect(await store.qualityRows!({ from: T0, to: T0 + H })).toEqual([{ peer: 'sbc1.example.net', band: 'good', count: 1, mosSum: 4.3 }]);
    });

    it('a later report replaces the earlier; a call with no stored event, or junk, changes nothing', async () => {
      const store = await fresh();
      const call = ev({ kind: 'answered', code: 200, peer: null });
      await store.recordEvents([call]);
      await store.recordQuality!([{ callIdHash: call.callIdHash, quality: quality(4.4) }]);
      expect(await store.recordQuality!([{ callIdHash: call.callIdHash, quality: quality(3.0) }])).toBe(1);
      expect(await store.recordQuality!([{ callIdHash: ev().callIdHash, quality: quality(3.0) }])).toBe(0);
      expect(await store.recordQuality!([{ callIdHash: call.callIdHash, quality: { mos: 12.7, directions: [] } }, { callIdHash: '', quality: quality(2) }])).toBe(0);
      expect(await store.qualityRows!({ from: 0, to: 8.64e15 })).toEqual([{ peer: null, band: 'bad', count: 1, mosSum: 3 }]);
    });

    it('counts nothing for calls without quality, and keeps event counts as they were', async () => {
      const store = await fresh();
      await store.recordEvents([ev({ kind: 'answered', code: 200 }), ev()]);
      expect(await store.qualityRows!({ from: 0, to: 8.64e15 })).toEqual([]);
      expect((await store.counts({ from: 0, to: 8.64e15, by: [] }))[0]?.count).toBe(2);
    });
  });
}
