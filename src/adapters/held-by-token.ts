import { randomBytes } from 'node:crypto';

export interface HeldOptions {
  /** Most values held. */
  readonly maxItems: number;
  /** Most bytes held over all values (as the caller counts them). */
  readonly maxBytes: number;
  /** How long a value stays held after it was put. */
  readonly ttlMs: number;
  /** Clock, for tests of expiry. */
  readonly now: () => number;
}

interface Entry<T> {
  readonly value: T;
  readonly bytes: number;
  readonly expires: number;
}

/**
 * Values a chat button stands for, by a short random token the button carries instead (a button value is
 * echoed in every click payload, and a Discord custom_id holds 100 characters). Bounded by count and bytes,
 * oldest dropped first, and expiring: memory stays flat however many answers are drawn. In memory only, so a
 * restart, or a replica other than the one that drew the button, finds nothing behind a token: callers answer
 * that the button has expired, never with another value. Tokens are random, so one cannot be guessed from another.
 */
export class HeldByToken<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #options: HeldOptions;
  #bytes = 0;

  constructor(options: HeldOptions) {
    this.#options = options;
  }

  /** Holds a value and returns its token, or undefined when the value alone is larger than the whole budget. */
  hold(value: T, bytes: number): string | undefined {
    if (bytes > this.#options.maxBytes) return undefined;
    this.#expire();
    // 72 random bits, base64url: unguessable, 12 characters.
    const token = randomBytes(9).toString('base64url');
    this.#entries.set(token, { value, bytes, expires: this.#options.now() + this.#options.ttlMs });
    this.#bytes += bytes;
    while (this.#entries.size > this.#options.maxItems || this.#bytes > this.#options.maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    return token;
  }

  /** The value behind a token, if it is still held. */
  get(token: string): T | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#options.now()) {
      this.#drop(token);
      return undefined;
    }
    return entry.value;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #expire(): void {
    const now = this.#options.now();
    // Insertion order is expiry order (one TTL for all), so the scan stops at the first live entry.
    for (const [token, entry] of this.#entries) {
      if (entry.expires > now) break;
      this.#drop(token);
    }
  }

  #drop(token: string): void {
    const entry = this.#entries.get(token);
    if (entry === undefined) return;
    this.#entries.delete(token);
    this.#bytes -= entry.bytes;
  }
}
