import type { Logger } from '../ports/logger.js';

/**
 * The process-level safety net for `siptriage serve`: a promise rejected where nobody awaits it (a
 * library's fire-and-forget handler, as Bolt's HTTP receiver has) is logged with its stack and the
 * service keeps serving, instead of Node's default of ending the process and every surface with it.
 * Uncaught exceptions are left to Node: after one, the process state is not known to be sound.
 * Returns the function that removes the net.
 */
export function installLastResort(log: Logger): () => void {
  const onRejection = (reason: unknown): void => {
    log.error({ err: reason instanceof Error ? reason : new Error(String(reason)), code: 'UNHANDLED_REJECTION' }, 'a rejected promise was not handled: logged, still serving');
  };
  process.on('unhandledRejection', onRejection);
  return () => void process.off('unhandledRejection', onRejection);
}
