import { describe, expect, it } from 'vitest';
import { startRetention } from '../../src/app/retention.js';
import { openStore } from '../../src/store/open-store.js';
import { memoryLogger } from '../adapters/slack/slack-service.js';
import { ev, H, T0 } from '../store/store-contract.js';

describe('retention', () => {
  it('prunes what is older than RETENTION_DAYS as soon as it starts, and logs how much went', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const now = T0 + 10 * 24 * H;
    await store.recordEvents([ev({ time: T0 }), ev({ time: T0 + 2 * 24 * H }), ev({ time: now - H })]);
    const lines: string[] = [];
    const retention = startRetention(store, 7, memoryLogger(lines, 'info'), () => now);
    await retention.stop();
    expect((await store.counts({ from: 0, to: now, by: [] }))[0]?.count).toBe(1);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ module: 'retention', msg: 'pruned events older than the retention', events: 2, days: 7, before: new Date(now - 7 * 24 * H).toISOString() }),
    ]);
    await store.close();
  });

  it('logs a store that cannot prune and carries on', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    await store.close();
    const lines: string[] = [];
    await startRetention(store, 90, memoryLogger(lines, 'info')).stop();
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 40, msg: 'could not prune old events', err: { code: 'STORE_CLOSED' } });
  });
});
