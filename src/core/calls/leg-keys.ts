import type { SipMessage } from '../sip/message.js';

/** How a B2BUA derives a B leg's Call-ID from the A leg's: strip this suffix or prefix to get the A leg's. */
export interface LegRule {
  readonly kind: 'suffix' | 'prefix';
  readonly text: string;
}

/** Where legs are joined from: correlation headers (a name ending in "*" matches every header it starts) and Call-ID rules. */
export interface LegOptions {
  readonly correlationHeaders: readonly string[];
  readonly legRules: readonly LegRule[];
}

// Headers B2BUAs and SBCs copy from the A leg to the B leg (X-CID, X-Call-ID: common SBC practice; RFC 7315
// §4.6 P-Charging-Vector; BroadWorks' correlation header; Asterisk's linkedid when exported).
export const DEFAULT_CORRELATION_HEADERS = ['X-CID', 'X-Call-ID', 'P-Charging-Vector', 'X-BroadWorks-Correlation-Info', 'X-Asterisk-Linkedid'] as const;

export const DEFAULT_LEG_OPTIONS: LegOptions = { correlationHeaders: DEFAULT_CORRELATION_HEADERS, legRules: [] };

// A correlation value shorter than this ("1", "yes") would join unrelated calls.
const MIN_VALUE = 6;
const MAX_KEYS = 16;

/**
 * The keys that join the legs of one call through a B2BUA or SBC: its own Call-ID, the Call-ID it was
 * derived from (a leg rule stripped), and the values of the correlation headers its messages carry. Two
 * calls sharing a key, close in time, are legs of one call. P-Charging-Vector contributes its icid-value
 * (RFC 7315 §4.6), which every IMS element on the path keeps; the others their whole value.
 */
export function legKeysOf(callId: string, messages: readonly SipMessage[], headers: readonly string[], rules: readonly LegRule[]): string[] {
  const keys = new Set<string>([callId]);
  for (const rule of rules) {
    const base = stripRule(callId, rule);
    if (base !== undefined) keys.add(base);
  }
  const exact = headers.filter((h) => !h.endsWith('*')).map((h) => h.toLowerCase());
  const prefixes = headers.filter((h) => h.endsWith('*')).map((h) => h.slice(0, -1).toLowerCase());
  for (const m of messages) {
    for (const h of m.headers) {
      const name = h.name.toLowerCase();
      if (!exact.includes(name) && !prefixes.some((p) => name.startsWith(p))) continue;
      const value = name === 'p-charging-vector' ? icidValue(h.value) : h.value.trim();
      if (value !== undefined && value.length >= MIN_VALUE) keys.add(value);
      if (keys.size >= MAX_KEYS) return [...keys];
    }
  }
  return [...keys];
}

function stripRule(callId: string, rule: LegRule): string | undefined {
  if (rule.kind === 'suffix') {
    const at = callId.lastIndexOf(rule.text);
    // The suffix may sit before the "@host" part too: "abc-b2b@sbc" derives from "abc@…" as "abc".
    if (at > 0 && (at + rule.text.length === callId.length || callId[at + rule.text.length] === '@')) return callId.slice(0, at) + callId.slice(at + rule.text.length);
    return undefined;
  }
  return callId.startsWith(rule.text) && callId.length > rule.text.length ? callId.slice(rule.text.length) : undefined;
}

/** icid-value=… of a P-Charging-Vector (quoted or not). */
export function icidValue(value: string): string | undefined {
  const m = /(?:^|;)\s*icid-value\s*=\s*("([^"]*)"|[^;\s]+)/i.exec(value);
  if (m === null) return undefined;
  return m[2] ?? m[1];
}
