import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { DEFAULT_CALLS_CONFIG, type CallsConfig } from '../../src/calls/calls-config.js';
import { CallKeeper, keepReport } from '../../src/calls/call-keeper.js';
import { createEngine } from '../../src/core/engine.js';
import { callEvent } from '../../src/core/triage/call-events.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import type { CallStore, KeepResult } from '../../src/ports/call-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { counterValue } from '../ingest/metrics-reader.js';

const log = createLogger({ level: 'silent', pretty: false });
const engine = createEngine(loadKnowledge());
// Real SIPp traces (test/fixtures/traces/raw, PROVENANCE.md) with capture times of their own.
const trace = (f: string): string => readFileSync(join(import.meta.dirname, '../fixtures/traces/raw', f), 'utf8');
const NOW = Date.UTC(2026, 11, 5, 12);
const window = { from: NOW - 86_400_000, to: NOW + 86_400_000, limit: 50 };

const stores: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function keeperOn(config: Partial<CallsConfig> = {}, over: Partial<ConstructorParameters<typeof CallKeeper>[0]> = {}) {
  const store = SqliteStore.open(':memory:');
  stores.push(store);
  const metrics = createMetrics({ topPeers: 5, processMetrics: false });
  const keeper = new CallKeeper({ store: store.calls, config: { ...DEFAULT_CALLS_CONFIG, ...config }, metrics, log, now: () => NOW, ...over });
  return { store, keeper, metrics };
}

describe('CallKeeper', () => {
  it('keeps a failing call of a real trace with its messages, numbers and peer, found by code and number', async () => {
    const { store, keeper } = keeperOn({ sampleAnswered: 0 });
    keepReport(keeper, engine.triage(trace('02-busy-486.sip')).report, NOW, 'http');
    keepReport(keeper, engine.triage(trace('01-success-200.sip')).report, NOW, 'http');
    await keeper.flush();
    const found = await store.calls.findCalls({ ...window, code: 486 });
    expect(found.map((c) => c.callId)).toEqual(['1-ff1a57597bee484b@uac.example.com']);
    expect(found[0]).toMatchObject({ kind: 'failure', method: 'INVITE', from: 'alice', to: '+15555550486' });
    expect((await store.calls.findCalls({ ...window, number: '+15555550486' })).map((c) => c.code)).toEqual([486]);
    const [opened] = await store.calls.openCalls('1-ff1a57597bee484b@uac.example.com');
    const starts = opened?.trace.map((m) => m.raw.split(/\r?\n/)[0]);
    expect(starts).toContain('INVITE sip:+15555550486@127.0.0.1:5102 SIP/2.0');
    expect(starts).toContain('SIP/2.0 486 Busy Here');
    // The answered call was not in the sample.
    expect(await store.calls.findCalls({ ...window, kind: 'answered' })).toEqual([]);
  });

  it('keeps answered calls at the sample rate, decided by Call-ID', async () => {
    const { store, keeper } = keeperOn({ sampleAnswered: 1 });
    keepReport(keeper, engine.triage(trace('01-success-200.sip')).report, NOW, 'http');
    await keeper.flush();
    expect((await store.calls.findCalls({ ...window, kind: 'answered' })).map((c) => c.callId).sort()).toEqual(['1-812b68f66e8965fa@uac.example.com', '2-812b68f66e8965fa@uac.example.com']);
  });

  it('keeps nothing with CALLS_KEEP=off', async () => {
    const { store, keeper } = keeperOn({ keep: false });
    keepReport(keeper, engine.triage(trace('02-busy-486.sip')).report, NOW, 'http');
    await keeper.flush();
    expect(keeper.enabled).toBe(false);
    expect(await store.calls.findCalls(window)).toEqual([]);
  });

  it('drops and counts calls beyond its queue, and those a failing store refused, without throwing', async () => {
    const report = engine.triage(trace('03-unavailable-503.sip')).report;
    const { keeper, metrics } = keeperOn({}, { maxPending: 2, batchSize: 100, flushMs: 60_000 });
    for (let i = 0; i < 5; i++) keepReport(keeper, { ...report, calls: report.calls.map((r) => ({ ...r, call: { ...r.call, callId: `c${i}` } })) }, NOW, 'hep');
    expect(keeper.pending).toBe(2);
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'calls-queue' })).toBe(3);
    await keeper.flush();

    const failing = { keepCalls: async (): Promise<KeepResult> => Promise.reject(new Error('disk I/O error')), findCalls: async () => [], openCalls: async () => [], legsOf: async () => [], pruneCalls: async () => 0, keptBytes: async () => 0 };
    const m2 = createMetrics({ topPeers: 5, processMetrics: false });
    const broken = new CallKeeper({ store: failing, config: DEFAULT_CALLS_CONFIG, metrics: m2, log, now: () => NOW });
    keepReport(broken, report, NOW, 'hep');
    await broken.flush();
    expect(await counterValue(m2, 'siptriage_ingest_dropped_total', { reason: 'calls-store' })).toBe(1);
  });

  it('counts calls refused at the daily byte cap', async () => {
    const { store, keeper, metrics } = keeperOn({ maxBytesPerDay: 1 });
    keepReport(keeper, engine.triage(trace('02-busy-486.sip')).report, NOW, 'hep');
    await keeper.flush();
    expect(await store.calls.findCalls(window)).toEqual([]);
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'calls-cap' })).toBe(1);
  });
});

describe('CallKeeper.keepDurable (an /ingest body\'s calls, acknowledged only once stored)', () => {
  const offersOf = (file: string, suffix = '') =>
    engine.triage(trace(file)).report.calls.flatMap((r) => {
      const e = callEvent(r, NOW);
      return e === undefined ? [] : [{ callId: `${r.call.callId}${suffix}`, messages: r.call.entries.map((x) => x.message), events: [e] }];
    });

  it('settles with the calls in the store, no flush needed, and a resend finds them kept', async () => {
    const { store, keeper } = keeperOn({ sampleAnswered: 0 });
    const offers = offersOf('02-busy-486.sip');
    expect(await keeper.keepDurable(offers, 'http')).toEqual({ ok: true, kept: 1, overCap: 0 });
    expect(keeper.pending).toBe(0);
    expect((await store.calls.findCalls({ ...window, code: 486 })).map((c) => c.callId)).toEqual(['1-ff1a57597bee484b@uac.example.com']);
    expect(await keeper.keepDurable(offers, 'http')).toEqual({ ok: true, kept: 1, overCap: 0 });
    expect(await store.calls.findCalls(window)).toHaveLength(1);
  });

  it('counts calls over the day\'s cap in its answer rather than failing', async () => {
    const { keeper, metrics } = keeperOn({ maxBytesPerDay: 1 });
    expect(await keeper.keepDurable(offersOf('02-busy-486.sip'), 'http')).toEqual({ ok: true, kept: 0, overCap: 1 });
    expect(await counterValue(metrics, 'siptriage_ingest_dropped_total', { reason: 'calls-cap' })).toBe(1);
  });

  it('refuses the whole delivery when the keeper is behind by more than its byte budget, or the store fails', async () => {
    const { keeper, store } = keeperOn({}, { maxPendingBytes: 100 });
    const busy = await keeper.keepDurable(offersOf('03-unavailable-503.sip'), 'http');
    expect(busy).toMatchObject({ ok: false, code: 'CALLS_BUSY' });
    expect(await store.calls.findCalls(window)).toEqual([]);

    const failing = { keepCalls: async (): Promise<KeepResult> => Promise.reject(new Error('disk I/O error')), findCalls: async () => [], openCalls: async () => [], legsOf: async () => [], pruneCalls: async () => 0, keptBytes: async () => 0 };
    const m2 = createMetrics({ topPeers: 5, processMetrics: false });
    const broken = new CallKeeper({ store: failing, config: DEFAULT_CALLS_CONFIG, metrics: m2, log, now: () => NOW });
    expect(await broken.keepDurable(offersOf('03-unavailable-503.sip'), 'http')).toMatchObject({ ok: false, code: 'CALLS_STORE_FAILED' });
  });

  it('takes its turn with the batch writer: one write in flight, both complete', async () => {
    let inFlight = 0;
    let most = 0;
    const { store } = keeperOn();
    const inner = store.calls;
    const slow: CallStore = {
      findCalls: (q) => inner.findCalls(q),
      openCalls: (id) => inner.openCalls(id),
      legsOf: (...a) => inner.legsOf(...a),
      pruneCalls: (before) => inner.pruneCalls(before),
      keptBytes: (...a) => inner.keptBytes(...a),
      keepCalls: async (...a: Parameters<typeof store.calls.keepCalls>): Promise<KeepResult> => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        try {
          return await store.calls.keepCalls(...a);
        } finally {
          inFlight--;
        }
      },
    };
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    const keeper = new CallKeeper({ store: slow, config: { ...DEFAULT_CALLS_CONFIG, sampleAnswered: 0 }, metrics, log, now: () => NOW, batchSize: 1 });
    keepReport(keeper, engine.triage(trace('03-unavailable-503.sip')).report, NOW, 'hep');
    const durable = await Promise.all([keeper.keepDurable(offersOf('02-busy-486.sip'), 'http'), keeper.keepDurable(offersOf('02-busy-486.sip', '-again'), 'http'), keeper.flush()]);
    expect(durable.slice(0, 2)).toEqual([{ ok: true, kept: 1, overCap: 0 }, { ok: true, kept: 1, overCap: 0 }]);
    expect(most).toBe(1);
    expect((await store.calls.findCalls(window)).length).toBeGreaterThanOrEqual(3);
  });
});

describe('sampled', () => {
  it('takes about the share asked for, the same way every time', async () => {
    const { sampled } = await import('../../src/calls/sample.js');
    const ids = Array.from({ length: 10_000 }, (_, i) => `${i}-a84b4c76e66710@pc33.example.com`);
    const taken = ids.filter((id) => sampled(id, 0.1)).length;
    expect(taken).toBeGreaterThan(800);
    expect(taken).toBeLessThan(1200);
    expect(ids.filter((id) => sampled(id, 0.1))).toEqual(ids.filter((id) => sampled(id, 0.1)));
    expect(sampled('x', 0)).toBe(false);
    expect(sampled('x', 1)).toBe(true);
  });
});
