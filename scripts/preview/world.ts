import { pino } from 'pino';
import { createAlerts } from '../../src/alerts/create-alerts.js';
import type { AlertService } from '../../src/alerts/alert-service.js';
import { loadConfig, type Config } from '../../src/app/config.js';
import { createMetrics } from '../../src/app/metrics.js';
import { createTriageRunner } from '../../src/app/triage-pool.js';
import { channelCommands, type ChannelCommands } from '../../src/commands/channel-commands.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import { hashCallId } from '../../src/core/triage/call-events.js';
import { DigestService } from '../../src/digest/digest-service.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import type { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Store, StoredEvent } from '../../src/ports/store.js';
import type { TriageRunner } from '../../src/ports/triage-runner.js';
import { openStore } from '../../src/store/open-store.js';

/**
 * One siptriage as the service wires it (knowledge, engine, SQLite store, stats and digest, spike alerts),
 * on a fixed clock so that every answer, and so every snapshot, is the same on every run. Only the chat
 * platforms are missing: the capture modules stand in for them at the API boundary.
 */
export interface PreviewWorld {
  readonly kb: KnowledgeBase;
  readonly engine: Engine;
  readonly store: Store;
  readonly triage: TriageRunner;
  readonly digest: DigestService;
  readonly alerts: AlertService;
  readonly log: Logger;
  readonly config: Config;
  /** The clock every service reads; the alert scenario moves it forward. */
  readonly clock: { now: number };
  commands(surface: 'slack' | 'discord'): ChannelCommands;
  close(): Promise<void>;
}

/** 03:00 UTC on a Saturday: the hour people are woken by an alert. */
export const PREVIEW_NOW = Date.UTC(2026, 11, 5, 3, 0);
export const SPIKE_PEER = '203.0.113.7';
const H = 3_600_000;
const D = 24 * H;

export async function openWorld(): Promise<PreviewWorld> {
  const loaded = loadConfig({ DATABASE_URL: ':memory:', TRIAGE_WORKERS: '0', CONSOLE: 'off', ALERT_WINDOW_MINUTES: '5', ALERT_MIN_COUNT: '10' });
  if (!loaded.ok) throw new Error(loaded.error);
  const config = loaded.config;
  const log = pino({ level: 'silent' });
  const kb = loadKnowledge();
  const engine = createEngine(kb, { maxTraceBytes: config.maxTraceBytes, maxCaptureBytes: config.maxCaptureBytes, redact: config.redact });
  const store = await openStore(config.store);
  await store.recordEvents(historyEvents(PREVIEW_NOW));
  const metrics = createMetrics({ topPeers: 20, processMetrics: false });
  const triage = createTriageRunner(engine, 0, log);
  const clock = { now: PREVIEW_NOW };
  const now = (): number => clock.now;
  const digest = new DigestService({ store, kb, config: config.digest, log, metrics, now, owner: 'preview' });
  const alerts = createAlerts({ config: config.alerts, kb, log, metrics, store, now });
  return {
    kb,
    engine,
    store,
    triage,
    digest,
    alerts,
    log,
    config,
    clock,
    commands: (surface) => channelCommands({ surface, log, store, alerts, stats: digest, metrics }),
    async close() {
      await alerts.stop();
      await digest.stop();
      await triage.close();
      await store.close();
    },
  };
}

/**
 * Eight days of traffic before `now`, so that stats, the digest and the alert's "usual" have history to
 * read: every day 503s from the spiking peer around this hour, some 486s, answered calls; and in the last
 * hours a few failures of the kind a digest leads with.
 */
function historyEvents(now: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  let n = 0;
  const add = (at: number, count: number, code: number, peer: string | null, extra: Partial<StoredEvent> = {}): void => {
    for (let i = 0; i < count; i++) {
      out.push({
        surface: 'hep',
        workspace: null,
        channel: null,
        time: at + i * 20_000,
        kind: code < 300 ? 'answered' : 'failure',
        code,
        method: 'INVITE',
        peer,
        product: null,
        q850: null,
        findings: [],
        callIdHash: hashCallId(`preview-${++n}@example.net`),
        ...extra,
      });
    }
  };
  for (let d = 1; d <= 8; d++) {
    add(now - d * D + 2 * 60_000, 4, 503, SPIKE_PEER, { product: 'Acme-SBC/4.2', q850: 34 });
    add(now - d * D + 4 * H, 3, 486, '198.51.100.20');
    add(now - d * D + 6 * H, 60, 200, SPIKE_PEER);
  }
  add(now - 5 * H, 6, 488, '192.0.2.9', { product: 'FreeSWITCH-mod_sofia/1.10.12' });
  add(now - 3 * H, 4, 404, '198.51.100.20');
  add(now - 2 * H, 3, 503, SPIKE_PEER, { product: 'Acme-SBC/4.2', q850: 34 });
  add(now - 2 * H, 120, 200, SPIKE_PEER);
  return out;
}
