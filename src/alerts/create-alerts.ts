import type { AlertConfig } from '../app/config.js';
import type { Logger } from '../app/logger.js';
import type { Metrics } from '../app/metrics.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Store } from '../store/store.js';
import { MemoryAlertSettings } from './alert-settings.js';
import { AlertService } from './alert-service.js';
import type { HistorySource } from './baselines.js';

/** The alert service for this process: settings and history from the store when there is one. */
export function createAlerts(o: { config: AlertConfig; kb: KnowledgeBase; log: Logger; metrics: Metrics; store: Store | undefined }): AlertService {
  const log = o.log.child({ module: 'alerts' });
  const history = o.store !== undefined && hasCounts(o.store) ? o.store : undefined;
  if (o.store !== undefined && history === undefined) log.info('the store cannot count events by hour yet: spike baselines use recent averages');
  return new AlertService({
    config: o.config,
    kb: o.kb,
    log,
    metrics: o.metrics,
    settings: o.store ?? new MemoryAlertSettings(),
    persistent: o.store !== undefined,
    ...(history === undefined ? {} : { history }),
  });
}

// Store.counts() arrives with the store's hourly roll-ups; until then a store without it still works.
function hasCounts(store: Store): store is Store & HistorySource {
  return typeof (store as Partial<HistorySource>).counts === 'function';
}
