import type { Problem } from '../result.js';

/**
 * Counts what went wrong while reading packets, one line per kind. A capture with 10,000 damaged packets
 * should say so once, with the count, not 10,000 times.
 */
export class ProblemTally {
  readonly #entries = new Map<string, { message: string; count: number; unit: string }>();

  /** Notes one occurrence; the first message for a code is the one shown. */
  note(code: string, message: string, unit = 'packet'): void {
    const entry = this.#entries.get(code);
    if (entry === undefined) this.#entries.set(code, { message, count: 1, unit });
    else entry.count++;
  }

  count(code: string): number {
    return this.#entries.get(code)?.count ?? 0;
  }

  problems(): Problem[] {
    return [...this.#entries].map(([code, e]) => ({
      code,
      message: e.count === 1 ? e.message : `${e.message} (${e.count} ${e.unit}s)`,
    }));
  }
}
