import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { WatchResult } from '../../src/core/probe/watch-state.js';
import { CONFIG_WATCHER, type ProbeStore } from '../../src/ports/probe-store.js';
import type { Store } from '../../src/ports/store.js';
import { T0, type StoreEngine } from './store-contract.js';

const probes = (store: Store): ProbeStore => {
  if (store.probes === undefined) throw new Error(`the ${store.kind} store keeps no probe targets`);
  return store.probes;
};

const T = 'sip:pbx.example.com;transport=tcp';
const result = (slot: number, up: boolean, over: Partial<WatchResult> = {}): WatchResult => ({ slot, time: T0 + slot * 1000, up, code: up ? 200 : 408, rttMs: up ? 12 + slot : null, ...over });

/** What every store must do with watched probe targets, run against SQLite always and PostgreSQL with TEST_DATABASE_URL. */
export function probeStoreContract(engine: StoreEngine): void {
  describe(`Watched probe targets: ${engine.name}`, () => {
    const open: Store[] = [];
    async function fresh(): Promise<{ store: ProbeStore; open: () => Promise<Store> }> {
      const db = await engine.fresh();
      const store = await db.open();
      open.push(store);
      return {
        store: probes(store),
        open: async () => {
          const s = await db.open();
          open.push(s);
          return s;
        },
      };
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(() => engine.cleanup());

    it('adds a watch once per channel and target, changes its interval, lists and removes it', async () => {
      const { store } = await fresh();
      expect(await store.watch({ watcher: 'slack:T1:C1', target: T, intervalMs: 60_000, createdAt: T0 })).toBe(true);
      expect(await store.watch({ watcher: 'slack:T1:C1', target: T, intervalMs: 30_000, createdAt: T0 + 1 })).toBe(false);
      expect(await store.watch({ watcher: 'discord:G:9', target: T, intervalMs: 60_000, createdAt: T0 })).toBe(true);
      expect(await store.watches('slack:T1:C1')).toEqual([{ watcher: 'slack:T1:C1', target: T, intervalMs: 30_000, createdAt: T0 }]);
      expect((await store.watches()).map((w) => w.watcher)).toEqual(['discord:G:9', 'slack:T1:C1']);
      expect(await store.unwatch('slack:T1:C1', T)).toBe(true);
      expect(await store.unwatch('slack:T1:C1', T)).toBe(false);
      expect((await store.watches()).map((w) => w.watcher)).toEqual(['discord:G:9']);
    });

    it('replaces the configured watches and leaves the channels\' alone', async () => {
      const { store } = await fresh();
      await store.watch({ watcher: 'slack:T1:C1', target: 'sip:a.example.com', intervalMs: 60_000, createdAt: T0 });
      await store.replaceConfigWatches([{ watcher: CONFIG_WATCHER, target: 'sip:b.example.com', intervalMs: 10_000, createdAt: T0 }]);
      await store.replaceConfigWatches([{ watcher: CONFIG_WATCHER, target: 'sip:c.example.com', intervalMs: 20_000, createdAt: T0 }]);
      expect((await store.watches()).map((w) => `${w.watcher} ${w.target} ${w.intervalMs}`)).toEqual(['slack:T1:C1 sip:a.example.com 60000', 'config sip:c.example.com 20000']);
    });

    it('gives a target\'s slot to exactly one of many claimers, across connections', async () => {
      const { store, open: again } = await fresh();
      const other = probes(await again());
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : other).claimSlot(T, 42, `owner-${i}`, T0)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimSlot(T, 43, 'owner-0', T0)).toBe(true);
      expect(await store.claimSlot('sip:other.example.com', 42, 'owner-0', T0)).toBe(true);
    });

    it('goes down after N failures in a row, once, comes back up once, and ignores a late result for an older slot', async () => {
      const { store } = await fresh();
      expect((await store.recordResult(T, result(1, true), 3))?.change).toBeUndefined();
      expect((await store.recordResult(T, result(2, false), 3))?.state).toMatchObject({ status: 'up', failures: 1 });
      expect((await store.recordResult(T, result(3, false), 3))?.change).toBeUndefined();
      const down = await store.recordResult(T, result(4, false), 3);
      expect(down).toMatchObject({ change: 'down', state: { target: T, status: 'down', failures: 3, since: T0 + 4000, lastCode: 408, lastRttMs: null } });
      expect((await store.recordResult(T, result(5, false), 3))?.change).toBeUndefined();
      await store.setAlerts(T, { 'slack:T1:C1': '1733.0001' });
      expect(await store.recordResult(T, result(5, true), 3)).toBeUndefined();
      const up = await store.recordResult(T, result(6, true, { rttMs: 7.5 }), 3);
      expect(up).toMatchObject({ change: 'up', state: { status: 'up', failures: 0, lastCode: 200, lastRttMs: 7.5, alerts: { 'slack:T1:C1': '1733.0001' } } });
      expect(await store.targetStates()).toMatchObject([{ target: T, status: 'up', lastSlot: 6 }]);
      await store.setAlerts(T, {});
      expect((await store.targetStates())[0]?.alerts).toEqual({});
    });

    it('counts uptime and the median RTT per target over a period, and prunes old results and unwatched state', async () => {
      const { store } = await fresh();
      await store.watch({ watcher: 'slack:T1:C1', target: T, intervalMs: 1000, createdAt: T0 });
      for (const [slot, up, rtt] of [[1, true, 10], [2, true, 30], [3, false, null], [4, true, 20], [5, true, 40]] as const) await store.recordResult(T, result(slot, up, { rttMs: rtt }), 3);
      await store.recordResult('sip:gone.example.com', result(1, true, { rttMs: 5 }), 3);
      expect(await store.uptime(T0, T0 + 10_000)).toEqual([
        { target: 'sip:gone.example.com', probes: 1, up: 1, medianRttMs: 5 },
        { target: T, probes: 5, up: 4, medianRttMs: 25 },
      ]);
      expect(await store.uptime(T0 + 3000, T0 + 4000)).toEqual([{ target: T, probes: 1, up: 0, medianRttMs: null }]);
      expect(await store.pruneProbes(T0 + 3000)).toBe(3);
      expect((await store.uptime(T0, T0 + 10_000)).map((u) => u.target)).toEqual([T]);
      expect((await store.targetStates()).map((s) => s.target)).toEqual([T]);
    });
  });
}
