const MINUTE = 60_000;

interface Series {
  readonly minutes: number[];
  /** The minute (since the epoch) the last slot written belongs to. */
  last: number;
}

/**
 * Failures per key over a sliding window, in one-minute slots. Bounded: at most `maxKeys` keys are
 * tracked (peers beyond that are not, codes and classes always fit), and idle keys are forgotten by prune().
 */
export class WindowCounts {
  readonly #series = new Map<string, Series>();
  readonly #slots: number;
  readonly #maxKeys: number;

  constructor(windowMs: number, maxKeys = 5000) {
    this.#slots = Math.max(1, Math.round(windowMs / MINUTE));
    this.#maxKeys = maxKeys;
  }

  add(key: string, now: number, n = 1): void {
    let s = this.#series.get(key);
    if (s === undefined) {
      if (this.#series.size >= this.#maxKeys && key.startsWith('peer:')) return;
      s = { minutes: new Array<number>(this.#slots).fill(0), last: Math.floor(now / MINUTE) };
      this.#series.set(key, s);
    }
    this.#advance(s, now);
    const i = s.last % this.#slots;
    s.minutes[i] = (s.minutes[i] ?? 0) + n;
  }

  /** Failures in the window ending now (the current minute included). */
  count(key: string, now: number): number {
    const s = this.#series.get(key);
    if (s === undefined) return 0;
    this.#advance(s, now);
    let n = 0;
    for (const c of s.minutes) n += c;
    return n;
  }

  keys(): IterableIterator<string> {
    return this.#series.keys();
  }

  /** Forgets keys with nothing in the window, except those asked to keep. */
  prune(now: number, keep: ReadonlySet<string>): void {
    for (const key of [...this.#series.keys()]) if (!keep.has(key) && this.count(key, now) === 0) this.#series.delete(key);
  }

  #advance(s: Series, now: number): void {
    const minute = Math.floor(now / MINUTE);
    if (minute <= s.last) return;
    const steps = Math.min(this.#slots, minute - s.last);
    for (let k = 1; k <= steps; k++) s.minutes[(s.last + k) % this.#slots] = 0;
    s.last = minute;
  }
}
