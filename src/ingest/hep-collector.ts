import type { Logger } from '../app/logger.js';
import type { DropReason, Metrics } from '../app/metrics.js';
import { sameSecret } from '../app/secrets.js';
import { decodeHep } from '../core/hep/decode-hep.js';
import type { CallEvent } from '../core/triage/call-events.js';
import { liveCallEvents } from '../core/triage/live-events.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { CallTimers } from './call-timers.js';
import { OpenCalls, type CompletedCall } from './open-calls.js';
import { PacketQueue } from './packet-queue.js';
import { sipFromHep } from './sip-from-hep.js';

export interface HepCollectorOptions {
  readonly kb: KnowledgeBase;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Capture password (HEPv3 auth key chunk); packets without the right one are dropped. */
  readonly password?: string;
  readonly maxOpenCalls: number;
  readonly queuePackets: number;
  readonly timers?: Partial<CallTimers>;
  /** Where the call events of completed calls go (metrics, alerts, the store). */
  readonly onEvents: (events: CallEvent[]) => void;
  readonly now?: () => number;
}

// Average SIP-over-HEP packet is well under 2 KiB; the byte cap keeps a flood of 64 KiB datagrams bounded too.
const QUEUE_BYTES_PER_PACKET = 2048;
const SWEEP_MS = 250;

/**
 * HEP packets in, call events out: decode, check the capture password, parse the SIP payload with the
 * packet's meta, count responses as they arrive, and hold messages per call until the call completes; then
 * the triage core groups and judges it and its events are recorded. Every bad packet is counted by reason
 * and dropped; nothing a sender does can throw out of here.
 */
export class HepCollector {
  readonly #o: HepCollectorOptions;
  readonly #now: () => number;
  readonly #queue: PacketQueue<Buffer>;
  readonly #calls: OpenCalls;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HepCollectorOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#queue = new PacketQueue<Buffer>({
      capacity: options.queuePackets,
      maxBytes: options.queuePackets * QUEUE_BYTES_PER_PACKET,
      handle: (bytes) => this.#safely(() => this.process(bytes)),
    });
    this.#calls = new OpenCalls({
      maxCalls: options.maxOpenCalls,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      onComplete: (call) => this.#complete(call),
      onDiscard: () => this.#drop('call-evicted'),
    });
    options.metrics.gauge('siptriage_hep_queue_packets', 'HEP packets waiting to be parsed', () => this.#queue.size);
    options.metrics.gauge('siptriage_hep_open_calls', 'Calls in progress held by the HEP collector', () => this.#calls.size);
  }

  /** Starts the timer that closes completed calls. */
  start(): void {
    this.#timer ??= setInterval(() => this.sweep(), SWEEP_MS);
    this.#timer.unref();
  }

  /** A packet from a socket: queued for parsing, or dropped and counted when the queue is full. */
  offer(bytes: Buffer, transport: 'udp' | 'tcp'): void {
    this.#o.metrics.hepReceived(transport);
    if (!this.#queue.push(bytes)) this.#drop('overload');
  }

  /** Decodes and tracks one packet now (the queue calls this; tests and benchmarks may too). */
  process(bytes: Uint8Array): void {
    const decoded = decodeHep(bytes);
    if (!decoded.ok) {
      this.#drop(decoded.problem.code === 'hep-truncated' ? 'truncated' : 'malformed');
      return;
    }
    const packet = decoded.value;
    if (this.#o.password !== undefined && !sameSecret(packet.authKey, this.#o.password)) {
      this.#drop('auth');
      return;
    }
    const sip = sipFromHep(packet);
    if (!sip.ok) {
      this.#drop(sip.reason);
      return;
    }
    const m = sip.message;
    const added = this.#calls.add(m, this.#now());
    if (added === 'late') this.#drop('late');
    else if (added === 'full') this.#drop('call-full');
    else if (added === 'new' && m.status !== undefined) this.#o.metrics.sipResponse(m.status, m.cseq?.method ?? '', m.meta.src?.host ?? null);
  }

  sweep(): void {
    this.#calls.sweep(this.#now());
  }

  /** Settles once every packet received so far has been parsed. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Parses what is queued and completes every call that has its final response. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#queue.drainAll();
    this.#calls.flush(this.#now());
  }

  #complete(call: CompletedCall): void {
    this.#safely(() => {
      const events = liveCallEvents(this.#o.kb, call.messages, this.#now());
      if (events.length > 0) this.#o.onEvents(events);
    });
  }

  // The core never throws on input; if a bug makes it, one packet or call is lost, not the listener.
  #safely(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.#o.log.error({ err }, 'HEP packet or call could not be processed');
      this.#drop('malformed');
    }
  }

  #drop(reason: DropReason): void {
    this.#o.metrics.dropped(reason);
  }
}
