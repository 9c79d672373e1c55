import type { SipMessage } from '../core/sip/message.js';
import { callEvent, type CallEvent } from '../core/triage/call-events.js';
import type { TriageReport } from '../core/triage/triage.js';
import type { CallStore, KeepResult, KeptCallInput } from '../ports/call-store.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Surface } from '../ports/store.js';
import type { CallsConfig } from './calls-config.js';
import { keptCallOf } from './kept-call-of.js';
import { sampled } from './sample.js';

export interface CallKeeperOptions {
  readonly store: CallStore | undefined;
  readonly config: CallsConfig;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Calls and bytes waiting for the store at most; beyond either, new calls are dropped and counted. */
  readonly maxPending?: number;
  readonly maxPendingBytes?: number;
  readonly batchSize?: number;
  readonly flushMs?: number;
  readonly now?: () => number;
}

const DAY_MS = 86_400_000;

/** One judged call as a source hands it over: its Call-ID, messages and the events it was counted as. */
export interface CallOffer {
  readonly callId: string;
  readonly messages: readonly SipMessage[];
  readonly events: readonly CallEvent[];
}

/** What a durable keep came to: stored (duplicates of calls already kept count as kept) and over the cap, or refused. */
export type DurableKeep =
  | { readonly ok: true; readonly kept: number; readonly overCap: number }
  | { readonly ok: false; readonly code: 'CALLS_BUSY' | 'CALLS_STORE_FAILED'; readonly message: string };

const bytesOf = (call: KeptCallInput): number => call.messages.reduce((n, m) => n + m.raw.length, 0);

/**
 * Keeps the evidence of live calls: every failing call and a sample of answered ones, with their messages,
 * written to the store in batches with one write in flight. Memory is bounded by call count and bytes; a
 * slow or failing store costs counted drops (siptriage_ingest_dropped_total{reason="calls-…"}), never a
 * blocked ingest path. The content is never logged.
 */
export class CallKeeper {
  readonly #o: CallKeeperOptions;
  readonly #now: () => number;
  #pending: KeptCallInput[] = [];
  #pendingBytes = 0;
  // Bytes of /ingest deliveries waiting for their write: bounded with the queue's, by the same budget.
  #durableBytes = 0;
  #keptToday = 0;
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: CallKeeperOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.#o.config.keep && this.#o.store !== undefined;
  }

  get pending(): number {
    return this.#pending.length;
  }

  /** Bytes kept on today's UTC day as the store said after the last write: how near the cap the day is. */
  get keptToday(): number {
    return this.#keptToday;
  }

  /** Reads today's kept bytes from the store (at start-up, before any write of this process). */
  async readKeptToday(): Promise<void> {
    const store = this.#o.store;
    if (store !== undefined) this.#keptToday = await store.keptBytes(this.#now()).catch(() => this.#keptToday);
  }

  /** A judged call: kept when it failed (or is sampled), queued for the next batch. */
  offer(callId: string, messages: readonly SipMessage[], events: readonly CallEvent[], surface: Surface): void {
    const call = this.#chosen({ callId, messages, events }, surface);
    if (call === undefined) return;
    const bytes = bytesOf(call);
    if (this.#pending.length >= this.#maxPending || this.#pendingBytes + this.#durableBytes + bytes > this.#maxPendingBytes) {
      this.#o.metrics.dropped('calls-queue');
      return;
    }
    this.#pending.push(call);
    this.#pendingBytes += bytes;
    if (this.#pending.length >= (this.#o.batchSize ?? 200)) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#o.flushMs ?? 1000).unref();
  }

  /**
   * The judged calls of one acknowledged delivery (an /ingest body): settles once the store holds them, so
   * that an answer sent after it is a promise kept across a crash. Refused whole, never in part, when the
   * keeper is too far behind or the store fails: the sender is told to send again (a resent call is a
   * duplicate, stored once). Calls over the day's byte cap are not an error: the answer counts them.
   */
  async keepDurable(offers: readonly CallOffer[], surface: Surface): Promise<DurableKeep> {
    const calls = offers.flatMap((o) => this.#chosen(o, surface) ?? []);
    if (calls.length === 0) return { ok: true, kept: 0, overCap: 0 };
    const bytes = calls.reduce((n, c) => n + bytesOf(c), 0);
    if (this.#pendingBytes + this.#durableBytes + bytes > this.#maxPendingBytes) {
      this.#o.metrics.dropped('calls-queue', calls.length);
      return { ok: false, code: 'CALLS_BUSY', message: 'the store is behind with kept calls: nothing was kept, send the trace again shortly' };
    }
    this.#durableBytes += bytes;
    try {
      const r = await this.#write(calls);
      return r === undefined ? { ok: false, code: 'CALLS_STORE_FAILED', message: 'the store refused the kept calls: send the trace again shortly' } : { ok: true, kept: r.kept + r.duplicates, overCap: r.overCap };
    } finally {
      this.#durableBytes -= bytes;
    }
  }

  // Failures always, answered calls when sampled; the time a call is filed under checked against the clock.
  #chosen(o: CallOffer, surface: Surface): KeptCallInput | undefined {
    if (!this.enabled || o.messages.length === 0) return undefined;
    const event = o.events.find((e) => e.kind === 'failure') ?? o.events[0];
    if (event === undefined) return undefined;
    if (event.kind !== 'failure' && !sampled(o.callId, this.#o.config.sampleAnswered)) return undefined;
    const call = keptCallOf(o.callId, o.messages, event, surface, this.#o.config);
    const now = this.#now();
    // A capture agent's clock far off would file the call on a day retention has already dropped (or a
    // day to come): the day it was seen is the one it belongs to then.
    const time = call.time > now + DAY_MS || call.time < now - this.#o.config.keepDays * DAY_MS || !Number.isFinite(call.time) ? now : call.time;
    return time === call.time ? call : { ...call, time };
  }

  get #maxPending(): number {
    return this.#o.maxPending ?? 5000;
  }

  get #maxPendingBytes(): number {
    return this.#o.maxPendingBytes ?? 64 * 1024 * 1024;
  }

  /** Writes what is pending; settles when the store has it (or refused it). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing !== undefined) await this.#writing;
    if (this.#o.store === undefined || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#o.batchSize ?? 200);
    this.#pendingBytes -= batch.reduce((n, c) => n + bytesOf(c), 0);
    await this.#write(batch);
    if (this.#pending.length > 0) await this.flush();
  }

  // One write in flight, whoever asks (the batch timer or an /ingest body): SQLite takes one writer anyway,
  // and a queue of writes is what the byte bounds above keep small. Undefined when the store refused.
  async #write(batch: readonly KeptCallInput[]): Promise<KeepResult | undefined> {
    const store = this.#o.store;
    if (store === undefined) return undefined;
    while (this.#writing !== undefined) await this.#writing;
    const write = store.keepCalls(batch, { maxBytesPerDay: this.#o.config.maxBytesPerDay }).then(
      async (r) => {
        if (r.overCap > 0) this.#o.metrics.dropped('calls-cap', r.overCap);
        // Read back rather than summed here: replicas sharing the store fill the same day.
        await this.readKeptToday();
        return r;
      },
      (err: unknown) => {
        this.#o.metrics.dropped('calls-store', batch.length);
        this.#o.log.warn({ err, calls: batch.length }, 'could not keep live calls');
        return undefined;
      },
    );
    this.#writing = write.then(() => {
      this.#writing = undefined;
    });
    return write;
  }
}

/** Offers each judged call of a triaged trace (an /ingest body, `triage --record`) to the keeper. */
export function keepReport(keeper: CallKeeper, report: TriageReport, now: number, surface: Surface): void {
  for (const r of report.calls) {
    const event = callEvent(r, now);
    if (event !== undefined) keeper.offer(r.call.callId, r.call.entries.map((e) => e.message), [event], surface);
  }
}
