// What the kept-calls feature reads. Declared here, by the feature, so calls never imports app/config.ts;
// app maps CALLS_* onto this shape.

import { DEFAULT_CORRELATION_HEADERS, type LegRule } from '../core/calls/leg-keys.js';

export interface CallsConfig {
  /** false (CALLS_KEEP=off): no message is kept; searches say so. */
  readonly keep: boolean;
  readonly keepDays: number;
  readonly maxBytesPerDay: number;
  /** Share of answered (and CANCELled) calls kept as well, 0 to 1; failures are always kept. */
  readonly sampleAnswered: number;
  /** Headers whose value joins the legs of one call; a name ending in "*" matches every header it starts. */
  readonly correlationHeaders: readonly string[];
  readonly legRules: readonly LegRule[];
}

export const DEFAULT_CALLS_CONFIG = {
  keep: true,
  keepDays: 7,
  maxBytesPerDay: 512 * 1024 * 1024,
  sampleAnswered: 0.01,
  correlationHeaders: DEFAULT_CORRELATION_HEADERS,
  legRules: [],
} as const satisfies Required<CallsConfig>;

/** "suffix:-b2b, prefix:B2B." → rules; undefined names the first entry that is not one. */
export function parseLegRules(text: string): { ok: true; rules: LegRule[] } | { ok: false; problem: string } {
  const rules: LegRule[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(suffix|prefix):(.{1,64})$/.exec(part);
    if (m === null) return { ok: false, problem: `expected suffix:TEXT or prefix:TEXT, got "${part.slice(0, 40)}"` };
    rules.push({ kind: m[1] as LegRule['kind'], text: m[2] ?? '' });
  }
  return { ok: true, rules };
}
