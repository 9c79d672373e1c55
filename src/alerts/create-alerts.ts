import type { AlertConfig } from './alert-config.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Store } from '../ports/store.js';
import { MemoryAlertSettings } from './alert-settings.js';
import { AlertService, type AlertServiceOptions } from './alert-service.js';
import type { HistorySource } from './baselines.js';

/** The alert service for this process: settings and history from the store when there is one. */
export function createAlerts(o: { config: AlertConfig; kb: KnowledgeBase; log: Logger; metrics: Metrics; store: Store | undefined; now?: () => number; examplesQuery?: AlertServiceOptions['examplesQuery']; exampleCalls?: AlertServiceOptions['exampleCalls'] }): AlertService {
  const log = o.log.child({ module: 'alerts' });
  // The store's hourly roll-ups give the same-hour baseline; without a store (tests, embedding) the EWMA decides.
  const history: HistorySource | undefined = o.store;
  return new AlertService({
    config: o.config,
    kb: o.kb,
    log,
    metrics: o.metrics,
    settings: o.store ?? new MemoryAlertSettings(),
    persistent: o.store !== undefined,
    ...(history === undefined ? {} : { history }),
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.examplesQuery === undefined ? {} : { examplesQuery: o.examplesQuery }),
    ...(o.exampleCalls === undefined ? {} : { exampleCalls: o.exampleCalls }),
  });
}
