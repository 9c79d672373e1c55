import type { CallStore } from '../ports/call-store.js';
import type { Logger } from '../ports/logger.js';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

/**
 * Keeps kept calls to CALLS_KEEP_DAYS: prunes now, then hourly (whole days: in PostgreSQL a dropped
 * partition). The timer never keeps the process alive; a failed prune is logged and tried again.
 */
export function startCallsRetention(store: Pick<CallStore, 'pruneCalls'>, days: number, log: Logger, now: () => number = Date.now): { stop(): Promise<void> } {
  const rlog = log.child({ module: 'calls-retention' });
  let running: Promise<void> | undefined;
  const prune = (): void => {
    if (running !== undefined) return;
    const before = now() - days * DAY_MS;
    running = store
      .pruneCalls(before)
      .then(
        // Nothing pruned is the usual case: a debug line, not one above every console prompt.
        (calls) => rlog[calls === 0 ? 'debug' : 'info']({ calls, before: new Date(before).toISOString(), days }, 'pruned kept calls older than CALLS_KEEP_DAYS'),
        (err: unknown) => rlog.warn({ err }, 'could not prune kept calls'),
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
