import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { Store, Surface } from '../ports/store.js';
import { IngestError } from './ingest-error.js';
import type { QualityUpdate } from './call-quality-tracker.js';

/** Anything that wants to see each recorded event as it happens (spike alerts). */
export interface EventObserver {
  observe(event: CallEvent): void;
  /** A call's audio quality, once its reports have stopped (the spike alerts' quality key). */
  observeQuality?(update: QualityUpdate): void;
}

export interface EventRecorderOptions {
  readonly store: Pick<Store, 'recordEvents' | 'recordQuality'> | undefined;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly observers?: readonly EventObserver[];
  /** Events waiting for the store at most; beyond that the oldest batch is dropped and counted. */
  readonly maxPending?: number;
  readonly batchSize?: number;
  readonly flushMs?: number;
}

/** Someone waiting for their events to be committed: settled once all of them are, or on the first failure. */
interface Ticket {
  remaining: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

interface Pending {
  readonly event: CallEvent;
  readonly surface: Surface;
  readonly ticket: Ticket | undefined;
}

// A durable write waits for its batch, so batches are allowed to be larger than the best-effort ones: every
// request that arrived while the previous write was in flight goes in the next one (a group commit).
const DURABLE_BATCH = 5_000;

/**
 * Where live call events go: the counters and observers at once, and the store in batches, one write in
 * flight at a time. Best-effort events (HEP) cost bounded memory (maxPending) and counted drops when the
 * store is slow, never a blocked ingest path. Durable events (POST /ingest) settle only once committed, so
 * that an acknowledgement means the events survive a crash. Without a store, events still reach metrics
 * and alerts.
 */
export class EventRecorder {
  readonly #o: EventRecorderOptions;
  #pending: Pending[] = [];
  #quality: QualityUpdate[] = [];
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #recorded = 0;
  #durableWaiting = 0;

  constructor(options: EventRecorderOptions) {
    this.#o = options;
  }

  /** Events recorded so far (counted, observed and, with a store, queued for it). */
  get recorded(): number {
    return this.#recorded;
  }

  /** Best effort: counted now, stored within flushMs or a batch, dropped (and counted) if the store lags. */
  record(events: readonly CallEvent[], surface: Surface): void {
    this.#enqueue(events, surface, undefined);
    if (this.#o.store === undefined) return;
    const max = this.#o.maxPending ?? 50_000;
    if (this.#pending.length > max) this.#shed(this.#pending.length - max);
    if (this.#pending.length >= (this.#o.batchSize ?? 500)) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#o.flushMs ?? 1000).unref();
  }

  /**
   * Best effort, like record(): a call's quality goes to the observers now and to its stored event with
   * the next write. Written after the events pending with it, so an event and its quality can share a flush.
   */
  recordQuality(update: QualityUpdate): void {
    for (const o of this.#o.observers ?? []) o.observeQuality?.(update);
    if (this.#o.store?.recordQuality === undefined) return;
    this.#quality.push(update);
    const max = this.#o.maxPending ?? 50_000;
    if (this.#quality.length > max) {
      const excess = this.#quality.length - max;
      this.#quality.splice(0, excess);
      this.#o.metrics.dropped('store', excess);
    }
    this.#timer ??= setTimeout(() => void this.flush(), this.#o.flushMs ?? 1000).unref();
  }

  /**
   * Durable: resolves once every event is committed to the store (at once without one), rejects with an
   * IngestError when the store refused them or is too far behind to take more. Counters and observers see
   * the events only once they are stored, so a refused request that the sender retries counts once.
   */
  async recordDurable(events: readonly CallEvent[], surface: Surface): Promise<void> {
    if (this.#o.store === undefined || events.length === 0) {
      this.#enqueue(events, surface, undefined);
      return;
    }
    if (this.#pending.length + events.length > (this.#o.maxPending ?? 50_000)) {
      throw new IngestError('INGEST_STORE_BUSY', 'the store is behind: nothing was recorded, send the events again shortly');
    }
    const done = new Promise<void>((resolve, reject) => {
      const ticket: Ticket = { remaining: events.length, resolve, reject };
      for (const event of events) this.#pending.push({ event, surface, ticket });
    });
    this.#durableWaiting += events.length;
    void this.flush();
    await done;
  }

  #enqueue(events: readonly CallEvent[], surface: Surface, ticket: Ticket | undefined): void {
    for (const event of events) {
      this.#observe(event);
      if (this.#o.store !== undefined) this.#pending.push({ event, surface, ticket });
    }
  }

  #observe(event: CallEvent): void {
    this.#recorded++;
    this.#o.metrics.call(event);
    for (const o of this.#o.observers ?? []) o.observe(event);
  }

  // Only best-effort events are shed; durable ones are refused up front instead.
  #shed(excess: number): void {
    let dropped = 0;
    this.#pending = this.#pending.filter((p) => {
      if (dropped >= excess || p.ticket !== undefined) return true;
      dropped++;
      return false;
    });
    if (dropped > 0) this.#o.metrics.dropped('store', dropped);
  }

  /** Writes what is pending; settles when the store has it (or refused it). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing !== undefined) await this.#writing;
    const store = this.#o.store;
    if (store === undefined) return;
    if (this.#pending.length === 0) {
      await this.#flushQuality();
      return;
    }
    const size = this.#durableWaiting > 0 ? DURABLE_BATCH : (this.#o.batchSize ?? 500);
    const batch = this.#pending.splice(0, size);
    this.#writing = store
      .recordEvents(batch.map(({ event, surface }) => ({ ...event, surface, workspace: null, channel: null })))
      .then(
        () => this.#settle(batch, undefined),
        (err: unknown) => {
          const best = batch.filter((p) => p.ticket === undefined).length;
          if (best > 0) this.#o.metrics.dropped('store', best);
          this.#o.log.warn({ err, events: batch.length }, 'could not store live call events');
          this.#settle(batch, new IngestError('INGEST_STORE_FAILED', 'the store could not take the events: nothing was recorded, send them again', { cause: err }));
        },
      )
      .finally(() => (this.#writing = undefined));
    await this.#writing;
    if (this.#pending.length > 0) await this.flush();
    else await this.#flushQuality();
  }

  async #flushQuality(): Promise<void> {
    const store = this.#o.store;
    if (store?.recordQuality === undefined || this.#quality.length === 0) return;
    const batch = this.#quality.splice(0, this.#o.batchSize ?? 500);
    this.#writing = store
      .recordQuality(batch.map((u) => ({ callIdHash: u.callIdHash, quality: u.quality })))
      .then(
        () => undefined,
        (err: unknown) => {
          this.#o.metrics.dropped('store', batch.length);
          this.#o.log.warn({ err, calls: batch.length }, 'could not store call quality');
        },
      )
      .finally(() => (this.#writing = undefined));
    await this.#writing;
    if (this.#quality.length > 0) await this.#flushQuality();
  }

  #settle(batch: readonly Pending[], failure: IngestError | undefined): void {
    for (const p of batch) {
      const t = p.ticket;
      if (t === undefined) continue;
      this.#durableWaiting--;
      if (failure === undefined) this.#observe(p.event);
      if (t.remaining <= 0) continue;
      if (failure !== undefined) {
        t.remaining = 0;
        t.reject(failure);
      } else if (--t.remaining === 0) t.resolve();
    }
  }
}
