import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { CallEvent } from '../../src/core/triage/call-events.js';
import { EventRecorder } from '../../src/ingest/event-recorder.js';
import type { RecordResult, StoredEvent } from '../../src/ports/store.js';
import { counterValue } from './metrics-reader.js';

const log = createLogger({ level: 'silent', pretty: false });

function event(i: number): CallEvent {
  return { time: 1_800_000_000_000 + i, kind: 'failure', code: 503, method: 'INVITE', peer: '203.0.113.5', product: null, q850: null, findings: [], callIdHash: `h${i}` };
}

// What the store interface receives, at the persistence boundary: recordEvents batches, or a fault.
class StorePort {
  readonly batches: StoredEvent[][] = [];
  failing = false;
  async recordEvents(events: readonly StoredEvent[]): Promise<RecordResult> {
    if (this.failing) throw new Error('database is locked');
    this.batches.push([...events]);
    return { inserted: events.length, duplicates: 0 };
  }
}

describe('EventRecorder', () => {
  it('hands events to the store in batches with their surface, and counts them at once', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const store = new StorePort();
    const seen: CallEvent[] = [];
    const r = new EventRecorder({ store, metrics, log, observers: [{ observe: (e) => seen.push(e) }], batchSize: 3 });
    r.record([event(1), event(2)], 'hep');
    r.record([event(3), event(4)], 'http');
    await r.flush();
    expect(store.batches.map((b) => b.length)).toEqual([3, 1]);
    expect(store.batches.flat().map((e) => [e.surface, e.peer, e.workspace, e.channel])).toEqual([
      ['hep', '203.0.113.5', null, null],
      ['hep', '203.0.113.5', null, null],
      ['http', '203.0.113.5', null, null],
      ['http', '203.0.113.5', null, null],
    ]);
    expect(seen).toHaveLength(4);
    expect(await counterValue(metrics, 'siptriage_calls_total', { code: '503' })).toBe(4);
  });

  it('keeps going without a store, and when the store fails it counts what was lost', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    new EventRecorder({ store: undefined, metrics, log }).record([event(1)], 'hep');
    expect(await counterValue(metrics, 'siptriage_calls_total')).toBe(1);
    const store = new StorePort();
    store.failing = true;
    const r = new EventRecorder({ store, metrics, log });
    r.record([event(2), event(3)], 'hep');
    await r.flush();
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'store' })).toBe(2);
  });

  it('bounds what waits for a slow store, dropping the oldest', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const store = new StorePort();
    const r = new EventRecorder({ store, metrics, log, maxPending: 10, batchSize: 1000, flushMs: 60_000 });
    r.record(Array.from({ length: 25 }, (_, i) => event(i)), 'hep');
    await r.flush();
    expect(store.batches.flat().map((e) => e.callIdHash)).toEqual(Array.from({ length: 10 }, (_, i) => `h${i + 15}`));
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'store' })).toBe(15);
  });

  it('settles a durable record only once its events are committed, in one group write for concurrent requests', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const store = new StorePort();
    const r = new EventRecorder({ store, metrics, log });
    let settled = 0;
    const a = r.recordDurable([event(1), event(2)], 'http').then(() => settled++);
    const b = r.recordDurable([event(3)], 'http').then(() => settled++);
    expect(settled).toBe(0);
    await Promise.all([a, b]);
    expect(store.batches.flat().map((e) => e.callIdHash)).toEqual(['h1', 'h2', 'h3']);
    expect(r.recorded).toBe(3);
  });

  it('rejects a durable record with a coded error when the store fails, and counts nothing for it', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const store = new StorePort();
    store.failing = true;
    const r = new EventRecorder({ store, metrics, log });
    await expect(r.recordDurable([event(1)], 'http')).rejects.toMatchObject({ code: 'INGEST_STORE_FAILED' });
    expect(r.recorded).toBe(0);
    const busy = new EventRecorder({ store: new StorePort(), metrics, log, maxPending: 2 });
    await expect(busy.recordDurable([event(1), event(2), event(3)], 'http')).rejects.toMatchObject({ code: 'INGEST_STORE_BUSY' });
  });
});
