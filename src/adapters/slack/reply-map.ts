/** Where siptriage answered a pasted message: its reply and the thread it sits in. */
export interface ReplyRef {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Pasted message → triage reply, so an edit of the paste updates the reply in place. Kept in memory and
 * bounded (oldest forgotten first): after a restart, or for pastes older than the last `capacity`, an edit
 * gets a new reply instead of an update. The Store interface has no place for this mapping yet.
 */
export class ReplyMap {
  readonly #entries = new Map<string, ReplyRef>();
  readonly #chains = new Map<string, Promise<unknown>>();
  readonly #capacity: number;

  constructor(capacity = 5000) {
    this.#capacity = capacity;
  }

  get(channel: string, ts: string): ReplyRef | undefined {
    return this.#entries.get(`${channel}:${ts}`);
  }

  set(channel: string, ts: string, reply: ReplyRef): void {
    const key = `${channel}:${ts}`;
    this.#entries.delete(key);
    this.#entries.set(key, reply);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Runs work for one pasted message after the work already queued for it: an edit that arrives while the
   * first triage is still running must update that reply, not post a second one.
   */
  serialize<T>(channel: string, ts: string, work: () => Promise<T>): Promise<T> {
    const key = `${channel}:${ts}`;
    const before = this.#chains.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#chains.set(key, settled);
    void settled.then(() => {
      if (this.#chains.get(key) === settled) this.#chains.delete(key);
    });
    return run;
  }
}

/** Event ids already handled: Slack redelivers an event it thinks was not acknowledged (x-slack-retry-num). */
export class SeenEvents {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 2000) {
    this.#capacity = capacity;
  }

  /** True the first time an id is seen. */
  first(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }
}
