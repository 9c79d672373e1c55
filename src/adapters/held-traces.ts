import { randomBytes } from 'node:crypto';
import type { TriageInput } from '../ports/triage-runner.js';

/** A trace kept so that "Share with carrier" can build its bundle when clicked. */
export interface HeldTrace {
  readonly input: TriageInput;
  /** File or attachment name for the bundle's summary; none for a pasted message. */
  readonly source: string | undefined;
  /** The channel the answer went to: a share id only works where its button was posted. */
  readonly scope: string;
}

export interface HeldTracesOptions {
  /** Most traces held. */
  readonly maxTraces: number;
  /** Most bytes held over all traces (text counted as UTF-16, two bytes a character). */
  readonly maxBytes: number;
  /** How long a trace stays shareable after its triage. */
  readonly ttlMs: number;
  /** Clock, for tests of expiry. */
  readonly now: () => number;
}

export const HELD_TRACES_DEFAULTS = {
  maxTraces: 500,
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 24 * 60 * 60 * 1000,
  now: () => Date.now(),
} as const satisfies Required<HeldTracesOptions>;

/** What a button says when its trace is gone (expired, evicted, or the bot restarted). */
export const NO_LONGER_HELD = 'This trace is no longer held by siptriage (traces are kept for a day, and not across restarts): paste it again to share it.';

interface Entry {
  readonly held: HeldTrace;
  readonly bytes: number;
  readonly expires: number;
}

/**
 * Triaged traces, by a short random id that a button carries instead of the trace (a button value is
 * echoed in every click payload and a Discord custom_id holds 100 characters). Bounded by count and bytes,
 * oldest dropped first, and expiring: memory stays flat however much is pasted. In memory only, so a restart
 * or a second replica answers "no longer held", never with someone else's trace.
 */
export class HeldTraces {
  readonly #entries = new Map<string, Entry>();
  readonly #busy = new Set<string>();
  readonly #options: HeldTracesOptions;
  #bytes = 0;

  constructor(options: Partial<HeldTracesOptions> = {}) {
    this.#options = { ...HELD_TRACES_DEFAULTS, ...options };
  }

  /** Holds a trace and returns its id, or undefined when the trace alone is larger than the whole budget. */
  hold(held: HeldTrace): string | undefined {
    const bytes = sizeOf(held.input);
    if (bytes > this.#options.maxBytes) return undefined;
    this.#expire();
    // 72 random bits, base64url: unguessable, 12 characters.
    const id = randomBytes(9).toString('base64url');
    this.#entries.set(id, { held, bytes, expires: this.#options.now() + this.#options.ttlMs });
    this.#bytes += bytes;
    while (this.#entries.size > this.#options.maxTraces || this.#bytes > this.#options.maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    return id;
  }

  /** The trace behind an id, if it is still held and was held for this scope (channel). */
  get(id: string, scope: string): HeldTrace | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#options.now()) {
      this.#drop(id);
      return undefined;
    }
    return entry.held.scope === scope ? entry.held : undefined;
  }

  /** Marks an id as being shared; false when it already is (a double click). */
  begin(id: string): boolean {
    if (this.#busy.has(id)) return false;
    this.#busy.add(id);
    return true;
  }

  end(id: string): void {
    this.#busy.delete(id);
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
    for (const [id, entry] of this.#entries) {
      if (entry.expires > now) break;
      this.#drop(id);
    }
  }

  #drop(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }
}

function sizeOf(input: TriageInput): number {
  return input.kind === 'text' ? input.text.length * 2 : input.bytes.byteLength;
}
