import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { Store, Surface } from '../ports/store.js';

/** Anything that wants to see each recorded event as it happens (spike alerts). */
export interface EventObserver {
  observe(event: CallEvent): void;
}

export interface EventRecorderOptions {
  readonly store: Pick<Store, 'recordEvents'> | undefined;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly observers?: readonly EventObserver[];
  /** Events waiting for the store at most; beyond that the oldest batch is dropped and counted. */
  readonly maxPending?: number;
  readonly batchSize?: number;
  readonly flushMs?: number;
}

/**
 * Where live call events go: the counters and observers at once, and the store in batches, one write in
 * flight at a time. A slow or failing store costs bounded memory (maxPending) and counted drops, never a
 * blocked ingest path. Without a store, events still reach metrics and alerts.
 */
export class EventRecorder {
  readonly #o: EventRecorderOptions;
  #pending: { event: CallEvent; surface: Surface }[] = [];
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #recorded = 0;

  constructor(options: EventRecorderOptions) {
    this.#o = options;
  }

  /** Events recorded so far (counted, observed and, with a store, queued for it). */
  get recorded(): number {
    return this.#recorded;
  }

  record(events: readonly CallEvent[], surface: Surface): void {
    for (const event of events) {
      this.#recorded++;
      this.#o.metrics.call(event);
      for (const o of this.#o.observers ?? []) o.observe(event);
      if (this.#o.store !== undefined) this.#pending.push({ event, surface });
    }
    if (this.#o.store === undefined) return;
    const max = this.#o.maxPending ?? 50_000;
    if (this.#pending.length > max) {
      const excess = this.#pending.length - max;
      this.#pending.splice(0, excess);
      this.#o.metrics.dropped('store', excess);
    }
    if (this.#pending.length >= (this.#o.batchSize ?? 500)) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#o.flushMs ?? 1000).unref();
  }

  /** Writes what is pending; settles when the store has it (or refused it). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing !== undefined) await this.#writing;
    const store = this.#o.store;
    if (store === undefined || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#o.batchSize ?? 500);
    this.#writing = store
      .recordEvents(batch.map(({ event, surface }) => ({ ...event, surface, workspace: null, channel: null })))
      .then(
        () => undefined,
        (err: unknown) => {
          this.#o.metrics.dropped('store', batch.length);
          this.#o.log.warn({ err, events: batch.length }, 'could not store live call events');
        },
      )
      .finally(() => (this.#writing = undefined));
    await this.#writing;
    if (this.#pending.length > 0) await this.flush();
  }
}
