import { loadConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { installLastResort } from '../app/last-resort.js';
import { startService } from '../app/start.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

/** siptriage serve: run until SIGINT/SIGTERM, or until the console ends. */
export async function runServe(io: CliIo): Promise<number> {
  const result = loadConfig(io.env);
  if (!result.ok) {
    io.stderr.write(`siptriage: ${result.error}\n`);
    return EXIT.failure;
  }
  const config = result.config;
  const interactive = io.stdin.isTTY === true;
  const log = createLogger({ level: config.logLevel, pretty: io.stdout.isTTY === true, fd: interactive ? 2 : 1 });
  const removeNet = installLastResort(log);
  let service;
  try {
    service = await startService(config, log, { input: io.stdin, output: io.stdout, isTTY: interactive });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr.write(
      `siptriage: ${code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT to another port)` : (err as Error).message}\n`,
    );
    log.flush();
    removeNet();
    return EXIT.failure;
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    void service.finished.then(resolve);
  });
  await service.stop();
  log.flush();
  removeNet();
  return EXIT.ok;
}
