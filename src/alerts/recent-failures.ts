import { parseSpikeKey } from './spike-keys.js';

interface Failure {
  readonly time: number;
  readonly code: number;
  readonly peer: string | null;
  readonly q850: number | null;
  readonly product: string | null;
  readonly method: string | null;
}

export interface Tally {
  readonly label: string;
  readonly count: number;
}

/** What the failures under some keys have in common: the peers, codes, Q.850 causes and products, busiest first. */
export interface FailureProfile {
  readonly total: number;
  readonly codes: readonly Tally[];
  readonly peers: readonly Tally[];
  readonly q850: readonly Tally[];
  readonly products: readonly Tally[];
}

/**
 * The last failures (bounded ring): which peers a code spike comes from and the reverse, the Q.850 cause and
 * product the events carried, and which spiking keys count the same calls (so they are one incident).
 */
export class RecentFailures {
  readonly #ring: (Failure | undefined)[];
  readonly #windowMs: number;
  #next = 0;

  constructor(windowMs: number, capacity = 20_000) {
    this.#ring = new Array<Failure | undefined>(capacity);
    this.#windowMs = windowMs;
  }

  add(time: number, code: number, peer: string | null, detail: { q850?: number | null; product?: string | null; method?: string } = {}): void {
    this.#ring[this.#next] = { time, code, peer, q850: detail.q850 ?? null, product: detail.product ?? null, method: detail.method ?? null };
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  /** For a code or class key: failures per peer; for a peer key: per code. Busiest first. */
  breakdown(key: string, now: number): Tally[] {
    const p = this.profile([key], now);
    return [...(parseSpikeKey(key).scope === 'peer' ? p.codes : p.peers)];
  }

  /** Failures in the window counted by every one of `keys`, described. */
  profile(keys: readonly string[], now: number): FailureProfile {
    const codes = new Map<string, number>();
    const peers = new Map<string, number>();
    const q850 = new Map<string, number>();
    const products = new Map<string, number>();
    let total = 0;
    for (const f of this.#inWindow(now)) {
      if (!keys.every((k) => matches(f, k))) continue;
      total += 1;
      bump(codes, String(f.code));
      bump(peers, f.peer ?? 'unknown');
      if (f.q850 !== null) bump(q850, String(f.q850));
      if (f.product !== null && f.product !== '') bump(products, f.product);
    }
    return { total, codes: sorted(codes), peers: sorted(peers), q850: sorted(q850), products: sorted(products) };
  }

  /**
   * Whether two keys count mostly the same calls: at least half of the smaller one's failures are also the
   * other's. 503 and 5xx from one peer overlap; a 503 spike and a 486 spike from different peers do not.
   */
  overlaps(a: string, b: string, now: number): boolean {
    let both = 0;
    let onlyA = 0;
    let onlyB = 0;
    for (const f of this.#inWindow(now)) {
      const inA = matches(f, a);
      const inB = matches(f, b);
      if (inA && inB) both += 1;
      else if (inA) onlyA += 1;
      else if (inB) onlyB += 1;
    }
    const smaller = Math.min(both + onlyA, both + onlyB);
    return smaller > 0 && both * 2 >= smaller;
  }

  *#inWindow(now: number): Generator<Failure> {
    for (const f of this.#ring) if (f !== undefined && f.time >= now - this.#windowMs) yield f;
  }
}

function matches(f: Failure, key: string): boolean {
  const { scope, value } = parseSpikeKey(key);
  if (scope === 'peer') return f.peer === value;
  if (scope === 'register') return f.method === 'REGISTER' && (f.peer ?? 'unknown') === value;
  if (scope === 'code') return String(f.code) === value;
  return `${Math.floor(f.code / 100)}xx` === value;
}

function bump(m: Map<string, number>, label: string): void {
  m.set(label, (m.get(label) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Tally[] {
  return [...m].map(([label, count]) => ({ label, count })).sort((x, y) => y.count - x.count || x.label.localeCompare(y.label));
}
