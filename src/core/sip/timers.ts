import { parseDecimal, parseParams } from './lexer.js';

/** Retry-After (RFC 3261 §20.33): seconds, an optional comment and an optional duration. */
export interface RetryAfter {
  readonly seconds: number;
  readonly comment: string | undefined;
  readonly duration: number | undefined;
}

export function parseRetryAfter(value: string): RetryAfter | undefined {
  const m = /^\s*(\d+)\s*(\([^)]*\))?\s*(;.*)?$/s.exec(value);
  if (!m) return undefined;
  const seconds = parseDecimal(m[1] ?? '');
  if (seconds === undefined) return undefined;
  const params = m[3] === undefined ? new Map<string, string>() : parseParams(m[3]);
  const durationText = params.get('duration');
  return {
    seconds,
    comment: m[2]?.slice(1, -1).trim(),
    duration: durationText === undefined ? undefined : parseDecimal(durationText),
  };
}

/** Session-Expires (RFC 4028 §4): delta-seconds and the refresher. */
export interface SessionExpires {
  readonly seconds: number;
  readonly refresher: string | undefined;
}

export function parseSessionExpires(value: string): SessionExpires | undefined {
  const semi = value.indexOf(';');
  const seconds = parseDecimal(semi === -1 ? value : value.slice(0, semi));
  if (seconds === undefined) return undefined;
  const params = semi === -1 ? new Map<string, string>() : parseParams(value.slice(semi + 1));
  return { seconds, refresher: params.get('refresher') };
}

/** Min-SE (RFC 4028 §5), Min-Expires, Expires, Max-Forwards: a number, parameters ignored. */
export function parseDeltaSeconds(value: string): number | undefined {
  const semi = value.indexOf(';');
  return parseDecimal(semi === -1 ? value : value.slice(0, semi));
}
