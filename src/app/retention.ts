import type { Store } from '../ports/store.js';
import type { Logger } from '../ports/logger.js';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

export interface Retention {
  /** Stops the hourly pruning and waits for a prune in progress. */
  stop(): Promise<void>;
}

/**
 * Keeps the store to RETENTION_DAYS: prunes once now, then every hour. The timer is unref'd so that it
 * never keeps the process alive; a failed prune is logged and tried again at the next hour.
 */
export function startRetention(store: Pick<Store, 'prune' | 'probes'>, days: number, log: Logger, now: () => number = Date.now): Retention {
  const rlog = log.child({ module: 'retention' });
  let running: Promise<void> | undefined;
  const prune = (): void => {
    if (running !== undefined) return;
    const before = now() - days * DAY_MS;
    // Probe results go with the events: the digest reads both for the same days.
    running = Promise.all([store.prune(before), store.probes?.pruneProbes(before)])
      .then(([events]) => events)
      .then(
        // Nothing pruned is the usual case: a debug line, not one above every console prompt.
        (events) => rlog[events === 0 ? 'debug' : 'info']({ events, before: new Date(before).toISOString(), days }, 'pruned events older than the retention'),
        (err: unknown) => rlog.warn({ err }, 'could not prune old events'),
      )
      .finally(() => (running = undefined));
  };
  prune();
  const timer = setInterval(prune, EVERY_MS).unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
