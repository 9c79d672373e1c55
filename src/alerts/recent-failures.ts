import { parseSpikeKey } from './spike-keys.js';

interface Failure {
  readonly time: number;
  readonly code: number;
  readonly peer: string | null;
}

/** The last failures (bounded ring), to say in an alert which peers a code spike comes from, and the reverse. */
export class RecentFailures {
  readonly #ring: (Failure | undefined)[];
  readonly #windowMs: number;
  #next = 0;

  constructor(windowMs: number, capacity = 20_000) {
    this.#ring = new Array<Failure | undefined>(capacity);
    this.#windowMs = windowMs;
  }

  add(time: number, code: number, peer: string | null): void {
    this.#ring[this.#next] = { time, code, peer };
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  /** For a code or class key: failures per peer; for a peer key: per code. Busiest first. */
  breakdown(key: string, now: number): { label: string; count: number }[] {
    const { scope, value } = parseSpikeKey(key);
    const counts = new Map<string, number>();
    for (const f of this.#ring) {
      if (f === undefined || f.time < now - this.#windowMs) continue;
      let label: string | undefined;
      if (scope === 'peer') label = f.peer === value ? String(f.code) : undefined;
      else if (scope === 'code') label = String(f.code) === value ? (f.peer ?? 'unknown') : undefined;
      else label = `${Math.floor(f.code / 100)}xx` === value ? (f.peer ?? 'unknown') : undefined;
      if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
  }
}
