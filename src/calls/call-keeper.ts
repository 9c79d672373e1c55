import type { SipMessage } from '../core/sip/message.js';
import { callEvent, type CallEvent } from '../core/triage/call-events.js';
import type { TriageReport } from '../core/triage/triage.js';
import type { CallStore, KeptCallInput } from '../ports/call-store.js';
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

  /** A judged call: kept when it failed (or is sampled), queued for the next batch. */
  offer(callId: string, messages: readonly SipMessage[], events: readonly CallEvent[], surface: Surface): void {
    if (!this.enabled || messages.length === 0) return;
    const event = events.find((e) => e.kind === 'failure') ?? events[0];
    if (event === undefined) return;
    if (event.kind !== 'failure' && !sampled(callId, this.#o.config.sampleAnswered)) return;
    const call = keptCallOf(callId, messages, event, surface, this.#o.config);
    const now = this.#now();
    // A capture agent's clock far off would file the call on a day retention has already dropped (or a
    // day to come): the day it was seen is the one it belongs to then.
    const time = call.time > now + DAY_MS || call.time < now - this.#o.config.keepDays * DAY_MS || !Number.isFinite(call.time) ? now : call.time;
    const bytes = call.messages.reduce((n, m) => n + m.raw.length, 0);
    if (this.#pending.length >= (this.#o.maxPending ?? 5000) || this.#pendingBytes + bytes > (this.#o.maxPendingBytes ?? 64 * 1024 * 1024)) {
      this.#o.metrics.dropped('calls-queue');
      return;
    }
    this.#pending.push(time === call.time ? call : { ...call, time });
    this.#pendingBytes += bytes;
    if (this.#pending.length >= (this.#o.batchSize ?? 200)) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#o.flushMs ?? 1000).unref();
  }

  /** Writes what is pending; settles when the store has it (or refused it). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing !== undefined) await this.#writing;
    const store = this.#o.store;
    if (store === undefined || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#o.batchSize ?? 200);
    this.#pendingBytes -= batch.reduce((n, c) => n + c.messages.reduce((b, m) => b + m.raw.length, 0), 0);
    this.#writing = store
      .keepCalls(batch, { maxBytesPerDay: this.#o.config.maxBytesPerDay })
      .then(
        (r) => {
          if (r.overCap > 0) this.#o.metrics.dropped('calls-cap', r.overCap);
        },
        (err: unknown) => {
          this.#o.metrics.dropped('calls-store', batch.length);
          this.#o.log.warn({ err, calls: batch.length }, 'could not keep live calls');
        },
      )
      .finally(() => (this.#writing = undefined));
    await this.#writing;
    if (this.#pending.length > 0) await this.flush();
  }
}

/** Offers each judged call of a triaged trace (an /ingest body, `triage --record`) to the keeper. */
export function keepReport(keeper: CallKeeper, report: TriageReport, now: number, surface: Surface): void {
  for (const r of report.calls) {
    const event = callEvent(r, now);
    if (event !== undefined) keeper.offer(r.call.callId, r.call.entries.map((e) => e.message), [event], surface);
  }
}
