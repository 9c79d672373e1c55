/** How a watched target is doing, as kept between probes (and between replicas, in the store). */
export interface WatchState {
  readonly status: 'unknown' | 'up' | 'down';
  /** Failed probes in a row; 0 after any success. */
  readonly failures: number;
  /** When the current status began (ms), or null before the first verdict. */
  readonly since: number | null;
  readonly lastAt: number | null;
  /** The code a client would report (408 for no answer), or null when nothing was sent. */
  readonly lastCode: number | null;
  readonly lastRttMs: number | null;
  /** The scheduling slot of the last result taken in: an older one arriving late changes nothing. */
  readonly lastSlot: number;
}

export const UNKNOWN_STATE: WatchState = { status: 'unknown', failures: 0, since: null, lastAt: null, lastCode: null, lastRttMs: null, lastSlot: -1 };

export interface WatchResult {
  readonly slot: number;
  readonly time: number;
  readonly up: boolean;
  readonly code: number | null;
  readonly rttMs: number | null;
}

export type WatchChange = 'down' | 'up' | undefined;

/**
 * The next state after one probe. A target goes down after `downAfter` failures in a row (one lost UDP
 * packet is not an outage) and comes back on the first success; the first verdict after start-up is not
 * news unless it is "down". Results for a slot at or before the last one taken are ignored (a slow probe
 * from another replica finishing late).
 */
export function nextWatchState(prev: WatchState, r: WatchResult, downAfter: number): { readonly state: WatchState; readonly change: WatchChange } | undefined {
  if (r.slot <= prev.lastSlot) return undefined;
  const failures = r.up ? 0 : prev.failures + 1;
  let status = prev.status;
  let change: WatchChange;
  if (r.up && prev.status !== 'up') {
    status = 'up';
    if (prev.status === 'down') change = 'up';
  } else if (!r.up && prev.status !== 'down' && failures >= downAfter) {
    status = 'down';
    change = 'down';
  }
  const since = status === prev.status ? prev.since : r.time;
  return { state: { status, failures, since, lastAt: r.time, lastCode: r.code, lastRttMs: r.rttMs, lastSlot: r.slot }, change };
}

/** Median of the RTTs (ms) of the probes that got an answer, or null when none did. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Probes of one watched target over a period: what the digest shows. */
export interface WatchUptime {
  readonly target: string;
  readonly probes: number;
  readonly up: number;
  readonly medianRttMs: number | null;
}

// A digest is read at a glance: the worst targets first, and no more than fit a screen.
const MAX_LINES = 20;

/** "sip:pbx.example.com: 99.9 % up (1438 of 1440 probes), median 12 ms", worst uptime first. */
export function uptimeLines(rows: readonly WatchUptime[]): string[] {
  const sorted = [...rows].sort((a, b) => a.up / Math.max(1, a.probes) - b.up / Math.max(1, b.probes) || a.target.localeCompare(b.target));
  const lines = sorted.slice(0, MAX_LINES).map((u) => {
    const pct = u.probes === 0 ? 0 : (100 * u.up) / u.probes;
    const shown = pct === 100 || pct === 0 ? String(pct) : pct.toFixed(1);
    const rtt = u.medianRttMs === null ? 'no answers' : `median ${u.medianRttMs < 10 ? u.medianRttMs.toFixed(1) : Math.round(u.medianRttMs)} ms`;
    return `${u.target}: ${shown} % up (${u.up} of ${u.probes} probes), ${rtt}`;
  });
  if (sorted.length > MAX_LINES) lines.push(`…and ${sorted.length - MAX_LINES} more`);
  return lines;
}
