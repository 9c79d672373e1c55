import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { WATCH_LIMITS } from '../../src/core/probe/watch-request.js';
import { createEngine } from '../../src/core/engine.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import { MemoryAlertSettings } from '../../src/alerts/alert-settings.js';
import { PROBE_DEFAULTS } from '../../src/probes/probe-config.js';
import { createProbeService } from '../../src/probes/probe-service.js';
import { createWatching, type Watching } from '../../src/probes/start-watching.js';
import type { Store } from '../../src/ports/store.js';
import { PG_SKIP_REASON, PG_URL, postgresStores, type TestStores } from '../digest/digest-store.js';
import { pgQuery } from '../store/pg-test-db.js';
import { optionsResponder } from './probe-peers.js';

const INTERVAL_MS = 200;
const log = createLogger({ level: 'silent', pretty: false });
const engine = createEngine(defaultKnowledge());

/** One replica: its own store connection, probe service and scheduler, as a second siptriage process has. */
function replica(store: Store, owner: string, metrics = createMetrics({ topPeers: 5, processMetrics: false })): Watching {
  if (store.probes === undefined) throw new Error('no probe store');
  const service = createProbeService({ config: { ...PROBE_DEFAULTS, policy: { allow: ['127.0.0.1'], allowPrivate: true }, timeoutMs: 1000 }, engine, log });
  const w = createWatching({
    store: store.probes,
    settings: new MemoryAlertSettings(),
    alertConfig: { timeZone: 'UTC' },
    configured: [],
    limits: { ...WATCH_LIMITS, minIntervalMs: 0, timeoutMs: 1000 },
    downAfter: 3,
    log,
    metrics,
    owner,
    tickMs: 20,
  });
  void w.start(service);
  return w;
}

describe.skipIf(PG_URL === undefined)(`two replicas on one PostgreSQL${PG_URL === undefined ? ` (${PG_SKIP_REASON})` : ''}`, () => {
  let stores: TestStores | undefined;
  afterAll(() => stores?.cleanup());

  it('probe a watched target once per interval between them, never twice in one interval', async () => {
    stores = postgresStores(PG_URL ?? '');
    const [a, b] = [await stores.open(), await stores.open()];
    const responder = await optionsResponder();
    const target = `sip:127.0.0.1:${responder.port}`;
    await a.probes?.watch({ watcher: 'slack::C0REPLICAS', target, intervalMs: INTERVAL_MS, createdAt: Date.now() });
    const metrics = [createMetrics({ topPeers: 5, processMetrics: false }), createMetrics({ topPeers: 5, processMetrics: false })] as const;
    const replicas = [replica(a, 'replica-a', metrics[0]), replica(b, 'replica-b', metrics[1])];
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 12 * INTERVAL_MS));
    await Promise.all(replicas.map((r) => r.stop()));
    const elapsed = Date.now() - started;
    await responder.close();

    const schema = (stores as TestStores & { schema: string }).schema;
    const slots = await pgQuery<{ slot: string; owner: string }>(PG_URL ?? '', `SELECT slot, owner FROM "${schema}".probe_slots ORDER BY slot`);
    const results = await pgQuery<{ time: string }>(PG_URL ?? '', `SELECT time FROM "${schema}".probe_results ORDER BY time`);
    // Every probe sent is one claimed slot and one result; the intervals it spans bound how many there are.
    expect(responder.transactions()).toBe(results.length);
    expect(slots.length).toBe(results.length);
    expect(new Set(slots.map((s) => s.slot)).size).toBe(slots.length);
    expect(results.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    expect(results.length).toBeGreaterThanOrEqual(8);
    // Consecutive slots: no interval was skipped while both ran.
    const numbers = slots.map((s) => Number(s.slot));
    expect(numbers.at(-1)! - numbers[0]! + 1).toBe(numbers.length);
    expect(await a.probes?.targetStates()).toMatchObject([{ target, status: 'up', failures: 0 }]);
    // Each instance's /metrics says the target is up, whichever of them probed it last.
    for (const m of metrics) {
      const text = await m.text();
      expect(text).toContain(`siptriage_probe_up{target="${target}"} 1`);
      expect(text).toContain(`siptriage_probe_last_code{target="${target}"} 200`);
    }
  }, 30_000);
});
