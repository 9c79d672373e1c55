import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../ports/logger.js';

// Token shapes Slack documents (xoxb-, xoxp-, xapp-, …) and the legacy verification token that slash-command
// and Socket Mode payloads still carry as "token"; Bolt and the Socket Mode client log payloads at debug.
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  [/\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+/g, '[redacted]'],
  [/("token"\s*:\s*")[^"]*(")/g, '$1[redacted]$2'],
  [/\b(token=)[^&\s"]+/g, '$1[redacted]'],
];

/** Removes the configured secrets and anything shaped like a Slack token from a log string. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Bolt, the Web API client and the Socket Mode client log through this: into our pino logger, as strings
 * nested under `bolt` (never spread), scrubbed of secrets. pino's redact paths cannot reach inside strings.
 */
export function boltLogger(log: Logger, secrets: readonly string[]): BoltLogger {
  const child = log.child({ module: 'slack-bolt' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]): void => {
    if (!child.isLevelEnabled(level)) return;
    const err = args.find((a): a is Error => a instanceof Error);
    const text = scrubSecrets(
      args
        .filter((a) => !(a instanceof Error))
        .map((a) => (typeof a === 'string' ? a : safeJson(a)))
        .join(' '),
      secrets,
    );
    if (err === undefined) child[level]({ bolt: text }, 'bolt');
    else child[level]({ bolt: text, err: { type: err.name, message: scrubSecrets(err.message, secrets) } }, 'bolt');
  };
  return {
    debug: (...args: unknown[]) => write('debug', args),
    info: (...args: unknown[]) => write('info', args),
    warn: (...args: unknown[]) => write('warn', args),
    error: (...args: unknown[]) => write('error', args),
    // The level is ours (LOG_LEVEL); Bolt asking to change it is ignored.
    setLevel: () => {},
    getLevel: () => boltLevel(child.level),
    setName: () => {},
  };
}

function boltLevel(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
