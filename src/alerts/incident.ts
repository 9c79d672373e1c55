import { parseSpikeKey } from './spike-keys.js';

/** One spike key inside an incident: when it joined, its peak, and whether it is still above the line. */
export interface KeyState {
  readonly since: number;
  peak: number;
  count: number;
  active: boolean;
}

/**
 * An incident: the spike keys (code, class, peer) that count the same failing calls, shown as one message per
 * channel. 46 × 503 from one peer raise code:503, class:5xx and peer:… at once; people need one alert, not three.
 */
export interface Incident {
  readonly id: string;
  readonly since: number;
  readonly keys: Map<string, KeyState>;
  ack?: { readonly by: string; readonly at: number };
  mute?: { readonly by: string; readonly until: number };
  /** The last content sent, so an evaluation that changes nothing sends nothing. */
  shown: string;
}

// Most specific first: a code says what failed, a registrar or peer who sent it, a class only how bad. Poor audio is its
// own kind of incident (it never overlaps failures), ranked last.
const SCOPE_RANK = { code: 0, register: 1, peer: 2, class: 3, quality: 4 } as const;

export function byScope(a: string, b: string): number {
  return SCOPE_RANK[parseSpikeKey(a).scope] - SCOPE_RANK[parseSpikeKey(b).scope] || a.localeCompare(b);
}

/** The key an incident is named and measured by: its most specific key, the busiest of those. */
export function leadKey(incident: Incident): string {
  const keys = [...incident.keys.entries()].sort(([a, x], [b, y]) => SCOPE_RANK[parseSpikeKey(a).scope] - SCOPE_RANK[parseSpikeKey(b).scope] || y.peak - x.peak);
  return keys[0]?.[0] ?? '';
}

export function isOpen(incident: Incident): boolean {
  return [...incident.keys.values()].some((k) => k.active);
}

export function activeKeys(incident: Incident): string[] {
  return [...incident.keys].filter(([, k]) => k.active).map(([key]) => key);
}

/**
 * Open incidents and mutes for one channel. Pure bookkeeping: the service decides what spikes and sends
 * the messages; this decides which incident a spiking key belongs to.
 */
export class IncidentBook {
  readonly #open = new Map<string, Incident>();
  /** Spike keys muted from a button, until when (ms). */
  readonly #muted = new Map<string, number>();

  open(): Incident[] {
    return [...this.#open.values()];
  }

  get(id: string): Incident | undefined {
    return this.#open.get(id);
  }

  /** The open incident counting `key` now, if any. */
  holding(key: string): Incident | undefined {
    for (const i of this.#open.values()) if (i.keys.get(key)?.active === true) return i;
    return undefined;
  }

  /**
   * Places a spiking key: into the open incident that counts the same calls (`overlaps`), else into a new
   * incident. Returns the incident and whether it is new.
   */
  place(key: string, count: number, now: number, overlaps: (a: string, b: string) => boolean, newId: () => string): { incident: Incident; created: boolean } {
    for (const incident of this.#open.values()) {
      if (!activeKeys(incident).some((k) => overlaps(k, key))) continue;
      const prior = incident.keys.get(key);
      if (prior === undefined) incident.keys.set(key, { since: now, peak: count, count, active: true });
      else Object.assign(prior, { active: true, count, peak: Math.max(prior.peak, count) });
      return { incident, created: false };
    }
    const incident: Incident = { id: newId(), since: now, keys: new Map([[key, { since: now, peak: count, count, active: true }]]), shown: '' };
    this.#open.set(incident.id, incident);
    return { incident, created: true };
  }

  close(id: string): void {
    this.#open.delete(id);
  }

  mute(incident: Incident, by: string, until: number): void {
    incident.mute = { by, until };
    for (const key of incident.keys.keys()) this.#muted.set(key, until);
  }

  isMuted(key: string, now: number): boolean {
    const until = this.#muted.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#muted.delete(key);
    return false;
  }
}
