import type { CallEvent } from '../core/triage/call-events.js';

/** What a spike is measured on: one response code, a response class, or the peer that refused. */
export type SpikeScope = 'code' | 'class' | 'peer';

export interface SpikeKey {
  readonly scope: SpikeScope;
  readonly value: string;
}

/** "code:503", "class:5xx", "peer:203.0.113.7": the keys a failure counts under. Other kinds count nowhere. */
export function spikeKeys(e: Pick<CallEvent, 'kind' | 'code' | 'peer'>): string[] {
  if (e.kind !== 'failure') return [];
  const keys = [`code:${e.code}`, `class:${Math.floor(e.code / 100)}xx`];
  if (e.peer !== null && e.peer !== '') keys.push(`peer:${e.peer}`);
  return keys;
}

export function parseSpikeKey(key: string): SpikeKey {
  const colon = key.indexOf(':');
  return { scope: key.slice(0, colon) as SpikeScope, value: key.slice(colon + 1) };
}
