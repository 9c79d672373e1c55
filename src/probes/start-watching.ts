import type { AlertConfig } from '../alerts/alert-config.js';
import type { AlertSettingsPort } from '../alerts/alert-settings.js';
import { StateAlerts } from '../alerts/state-alerts.js';
import type { ChatPoster } from '../core/chat-port.js';
import type { WatchLimits, WatchSpec } from '../core/probe/watch-request.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import { CONFIG_WATCHER, type ProbeStore } from '../ports/probe-store.js';
import { alertKey, ProbeScheduler } from './probe-scheduler.js';
import type { ProbeService } from './probe-service.js';
import type { WatchCommandsDeps } from './watch-commands.js';

export interface WatchingOptions {
  readonly store: ProbeStore;
  readonly settings: Pick<AlertSettingsPort, 'channelSettings' | 'subscribers'>;
  readonly alertConfig: Pick<AlertConfig, 'quietHours' | 'timeZone'>;
  /** The watches PROBES and PROBES_FILE name, already checked against the allow-list. */
  readonly configured: readonly WatchSpec[];
  readonly limits: WatchLimits;
  readonly downAfter: number;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  readonly owner?: string;
  /** Tests: a faster clock for due targets and for the per-channel pacing of alert messages. */
  readonly tickMs?: number;
  readonly pacerIntervalMs?: number;
}

export interface Watching {
  /** What `/sip probe watch|unwatch|list` needs (the probe service adds the allow-list). */
  readonly commands: Omit<WatchCommandsDeps, 'policy'>;
  attachPoster(poster: ChatPoster): void;
  /** Writes the configured watches and starts probing; `probes` runs each one. */
  start(probes: Pick<ProbeService, 'probe'>): Promise<void>;
  readonly scheduler: () => ProbeScheduler | undefined;
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** Scheduled probes for one process: the configured and chat watches, their scheduler and their alerts. */
export function createWatching(o: WatchingOptions): Watching {
  const log = o.log.child({ module: 'probe-watch' });
  let scheduler: ProbeScheduler | undefined;
  const alerts = new StateAlerts({
    config: o.alertConfig,
    settings: o.settings,
    log,
    ...(o.metrics === undefined ? {} : { metrics: o.metrics }),
    ...(o.pacerIntervalMs === undefined ? {} : { pacerIntervalMs: o.pacerIntervalMs }),
    onPosted: (key, destination, id) => {
      if (key.startsWith(alertKey(''))) scheduler?.posted(key.slice(alertKey('').length), destination, id);
    },
  });
  return {
    commands: { store: o.store, limits: o.limits, downAfter: o.downAfter, onChange: () => void scheduler?.tick(), ...(o.now === undefined ? {} : { now: o.now }) },
    attachPoster: (poster) => alerts.attachPoster(poster),
    scheduler: () => scheduler,
    async start(probes) {
      const now = (o.now ?? Date.now)();
      await o.store.replaceConfigWatches(o.configured.map((s) => ({ watcher: CONFIG_WATCHER, target: s.target, intervalMs: s.intervalMs, createdAt: now })));
      scheduler = new ProbeScheduler({
        store: o.store,
        probe: (request) => probes.probe({ ...request, timeoutMs: o.limits.timeoutMs }),
        alerts,
        log,
        downAfter: o.downAfter,
        limits: o.limits,
        ...(o.metrics === undefined ? {} : { metrics: o.metrics }),
        ...(o.now === undefined ? {} : { now: o.now }),
        ...(o.owner === undefined ? {} : { owner: o.owner }),
        ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
      });
      scheduler.start();
      if (o.configured.length > 0) log.info({ targets: o.configured.length }, 'watching the targets PROBES names');
    },
    async settled() {
      await scheduler?.idle();
      await alerts.settled();
    },
    async stop() {
      await scheduler?.stop();
      await alerts.settled();
      alerts.stop();
    },
  };
}
