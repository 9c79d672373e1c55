import { pino, type LoggerOptions } from 'pino';
import { PinoPretty as pretty } from 'pino-pretty';
import type { Logger } from '../ports/logger.js';

/**
 * Paths pino blanks in every log line. Tokens and credentials must never reach logs, however an object
 * carrying them ends up logged.
 */
export const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-slack-signature"]', '*.headers["x-slack-signature"]', 'password', '*.password',
  'config.slack', 'config.discord', 'databaseUrl', '*.databaseUrl', 'ingestToken', '*.ingestToken',
  'config.ingest.token', 'config.metrics.token', 'config.hep.password', 'authKey', '*.authKey',
];

export interface LoggerSetup {
  readonly level: string;
  /** Pretty, human output for a terminal; JSON lines otherwise. */
  readonly pretty: boolean;
  /** File descriptor to write to: 1 for the service, 2 for CLI commands whose stdout is their answer. */
  readonly fd?: 1 | 2;
}

export function createLogger(setup: LoggerSetup): Logger {
  const options: LoggerOptions = {
    level: setup.level,
    base: { service: 'siptriage' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  const fd = setup.fd ?? 1;
  if (setup.pretty) {
    // In this thread and synchronous, not a transport's worker: a person at the terminal sees each line
    // where it was logged, above the console's prompt rather than over it a moment later.
    return pino(options, pretty({ destination: fd, sync: true, colorize: true, ignore: 'pid,hostname,service' }));
  }
  return pino(options, pino.destination({ fd, sync: fd === 2 }));
}
