import { POOR_MOS } from '../core/media/call-quality.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { Thresholds } from './spike-rule.js';

/**
 * What a spike is measured on: one response code, a response class, the peer that refused, a peer's audio, or
 * the registrar refusing REGISTERs (a registration-failure spike: phones losing service, not calls failing).
 */
export type SpikeScope = 'code' | 'class' | 'peer' | 'quality' | 'register';

export interface SpikeKey {
  readonly scope: SpikeScope;
  readonly value: string;
}

/**
 * "code:503", "class:5xx", "peer:203.0.113.7", and for a refused REGISTER "register:<registrar>": the keys
 * a failure counts under. Other kinds count nowhere.
 */
export function spikeKeys(e: Pick<CallEvent, 'kind' | 'code' | 'peer'> & { readonly method?: string }): string[] {
  if (e.kind !== 'failure') return [];
  const keys = [`code:${e.code}`, `class:${Math.floor(e.code / 100)}xx`];
  if (e.peer !== null && e.peer !== '') keys.push(`peer:${e.peer}`);
  if (e.method === 'REGISTER') keys.push(`register:${e.peer === null || e.peer === '' ? 'unknown' : e.peer}`);
  return keys;
}

/**
 * "quality:203.0.113.7": the calls of one peer whose audio quality was reported (RTCP, RFC 6035). Every such
 * call counts towards the peer's total; those under MOS 3.6 (G.107 Table B.1: many users dissatisfied) are
 * the key's count. Undefined without a peer: a share of nobody's calls says nothing.
 */
export function qualityKey(peer: string | null): string | undefined {
  return peer === null || peer === '' ? undefined : `quality:${peer}`;
}

export const isPoorAudio = (mos: number): boolean => mos < POOR_MOS;

/**
 * Poor audio spikes on a share, not against the usual count: a peer is alerted when at least `minCount` of its
 * calls in the window had poor audio and they are at least `share` of its calls with a report. A busy peer
 * with a few bad calls is not an incident; a quiet one where most calls are bad is.
 */
export const QUALITY_SHARE = 0.2;

export function isQualitySpike(poor: number, calls: number, t: Thresholds, share = QUALITY_SHARE): boolean {
  return poor >= t.minCount && calls > 0 && poor >= share * calls;
}

// Hysteresis as for counts (spike-rule.ts): resolved only well below the level that raised it.
export function isQualityResolved(poor: number, calls: number, t: Thresholds, share = QUALITY_SHARE): boolean {
  return poor < t.minCount / 2 || poor < (share * calls) / 2;
}

export function parseSpikeKey(key: string): SpikeKey {
  const colon = key.indexOf(':');
  return { scope: key.slice(0, colon) as SpikeScope, value: key.slice(colon + 1) };
}
