import { loadConfig, type Config } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { type Logger } from '../ports/logger.js';
import { DigestService } from '../digest/digest-service.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../ports/store.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

export interface StoreContext {
  readonly config: Config;
  readonly log: Logger;
  readonly store: Store;
  readonly digest: DigestService;
}

/**
 * Runs a command over the configured store (DATABASE_URL, opened and migrated as the service does) with the
 * stats and digest service on top, and closes the store after. Config problems are one line and exit 1.
 */
export async function withStore(io: CliIo, run: (ctx: StoreContext) => Promise<number>): Promise<number> {
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.stderr.write(`siptriage: ${loaded.error}\n`);
    return EXIT.failure;
  }
  const config = loaded.config;
  // Logs go to stderr at warn unless asked otherwise, so that stdout holds only the answer (--json pipes).
  const log = createLogger({ level: io.env.LOG_LEVEL === undefined ? 'warn' : config.logLevel, pretty: false, fd: 2 });
  const store = await openStore(config.store);
  try {
    const digest = new DigestService({ store, kb: defaultKnowledge(), config: config.digest, log: log.child({ module: 'digest' }) });
    return await run({ config, log, store, digest });
  } finally {
    await store.close();
    log.flush();
  }
}
