import { loadConfig, type Config } from '../app/config.js';
import { createEngine, type Engine } from '../core/engine.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import type { CliIo } from './cli-io.js';

/**
 * The engine a command triages with, from the same settings the service reads: limits, REDACT_* and how
 * legs are joined (CALLS_CORRELATION_HEADERS, CALLS_LEG_RULES), so that `siptriage triage` of a capture
 * joins the legs the running bot would. A setting that does not parse is one line on stderr.
 */
export function cliEngine(io: CliIo): { readonly ok: true; readonly engine: Engine } | { readonly ok: false; readonly error: string } {
  const loaded = loadConfig(io.env);
  if (!loaded.ok) return { ok: false, error: loaded.error };
  return { ok: true, engine: engineFor(loaded.config) };
}

/** The engine for a loaded configuration (commands that load it for their store as well). */
export function engineFor(config: Config): Engine {
  return createEngine(defaultKnowledge(), { maxTraceBytes: config.maxTraceBytes, maxCaptureBytes: config.maxCaptureBytes, redact: config.redact, legs: config.calls });
}
