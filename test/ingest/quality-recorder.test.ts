import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { CallQuality } from '../../src/core/media/call-quality.js';
import { hashCallId, type CallEvent } from '../../src/core/triage/call-events.js';
import { EventRecorder } from '../../src/ingest/event-recorder.js';
import { openStore } from '../../src/store/open-store.js';
import { counterValue } from './metrics-reader.js';

const log = createLogger({ level: 'silent', pretty: false });
const quality: CallQuality = { mos: 3.2, directions: [{ from: '192.0.2.1:4000', to: '198.51.100.2:5000', mos: 3.2, mosFrom: 'e-model', lossPercent: 7, jitterMs: 20, source: 'rtcp' }] };
const answered = (callId: string): CallEvent => ({ time: Date.UTC(2026, 10, 25, 12), kind: 'answered', code: 200, method: 'INVITE', peer: '198.51.100.2', product: null, q850: null, findings: [], callIdHash: hashCallId(callId) });

describe('EventRecorder: call quality', () => {
  it('writes a call\'s quality after its event when both wait for the same flush, and tells the observers at once', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const seen: number[] = [];
    const r = new EventRecorder({ store, metrics: createMetrics({ topPeers: 5, processMetrics: false }), log, observers: [{ observe: () => undefined, observeQuality: (u) => seen.push(u.quality.mos) }] });
    r.record([answered('q-1')], 'hep');
    r.recordQuality({ callIdHash: hashCallId('q-1'), quality, time: Date.now(), peer: '198.51.100.2' });
    expect(seen).toEqual([3.2]);
    await r.flush();
    expect(await store.qualityRows!({ from: 0, to: 8.64e15 })).toEqual([{ peer: '198.51.100.2', band: 'poor', count: 1, mosSum: 3.2 }]);
    // A quality update alone is written by the next flush too.
    r.record([answered('q-2')], 'hep');
    await r.flush();
    r.recordQuality({ callIdHash: hashCallId('q-2'), quality: { ...quality, mos: 4.3 }, time: Date.now(), peer: null });
    await r.flush();
    expect((await store.qualityRows!({ from: 0, to: 8.64e15 })).map((x) => x.band).sort()).toEqual(['good', 'poor']);
    await store.close();
  });

  it('counts quality the store refused as dropped, and keeps going', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const store = {
      recordEvents: async () => ({ inserted: 0, duplicates: 0 }),
      recordQuality: async (): Promise<number> => {
        throw new Error('database is locked');
      },
    };
    const r = new EventRecorder({ store, metrics, log });
    r.recordQuality({ callIdHash: 'h1', quality, time: 0, peer: null });
    r.recordQuality({ callIdHash: 'h2', quality, time: 0, peer: null });
    await r.flush();
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'store' })).toBe(2);
  });
});
