import type { TriageInput } from '../ports/triage-runner.js';
import { HeldByToken } from './held-by-token.js';

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

/**
 * Triaged traces behind "Share with carrier" buttons, by a short random id (HeldByToken: bounded by count and
 * bytes, expiring, in memory only, so a restart or a second replica answers "no longer held", never with
 * someone else's trace). A trace is handed back only in the channel its button was posted in.
 */
export class HeldTraces {
  readonly #held: HeldByToken<HeldTrace>;
  readonly #busy = new Set<string>();

  constructor(options: Partial<HeldTracesOptions> = {}) {
    const o = { ...HELD_TRACES_DEFAULTS, ...options };
    this.#held = new HeldByToken({ maxItems: o.maxTraces, maxBytes: o.maxBytes, ttlMs: o.ttlMs, now: o.now });
  }

  /** Holds a trace and returns its id, or undefined when the trace alone is larger than the whole budget. */
  hold(held: HeldTrace): string | undefined {
    return this.#held.hold(held, sizeOf(held.input));
  }

  /** The trace behind an id, if it is still held and was held for this scope (channel). */
  get(id: string, scope: string): HeldTrace | undefined {
    const held = this.#held.get(id);
    return held?.scope === scope ? held : undefined;
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
    return this.#held.size;
  }

  get bytes(): number {
    return this.#held.bytes;
  }
}

function sizeOf(input: TriageInput): number {
  return input.kind === 'text' ? input.text.length * 2 : input.bytes.byteLength;
}
