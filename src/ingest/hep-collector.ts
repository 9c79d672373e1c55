import type { Logger } from '../ports/logger.js';
import type { DropReason, Metrics } from '../ports/metrics.js';
import { sameSecret } from '../ports/secrets.js';
import { decodeHep } from '../core/hep/decode-hep.js';
import { hepTimeMs, type HepPacket } from '../core/hep/hep-packet.js';
import { HEP_PROTOCOL_RTCP, readHepRtcp } from '../core/media/hep-rtcp.js';
import { endpoint } from '../core/media/endpoint.js';
import { parseVqReport, VQ_RTCPXR_TYPE } from '../core/media/vq-rtcpxr.js';
import type { SipMessage } from '../core/sip/message.js';
import type { CallEvent } from '../core/triage/call-events.js';
import { liveCallEvents } from '../core/triage/live-events.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { CallTimers } from './call-timers.js';
import { OpenCalls, type CompletedCall } from './open-calls.js';
import { SlicedQueue } from './sliced-queue.js';
import { parseHeld, peekHep, type HeldMessage } from './held-message.js';
import { CallQualityTracker, type QualityUpdate } from './call-quality-tracker.js';

export interface HepCollectorOptions {
  readonly kb: KnowledgeBase;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Capture password (HEPv3 auth key chunk); packets without the right one are dropped. */
  readonly password?: string;
  readonly maxOpenCalls: number;
  readonly queuePackets: number;
  readonly timers?: Partial<CallTimers>;
  /** 'auto' (default): findings unless ingest is falling behind; 'off': counts only; 'always': never shed them. */
  readonly findings?: 'auto' | 'off' | 'always';
  /** Where the call events of completed calls go (metrics, alerts, the store). */
  readonly onEvents: (events: CallEvent[]) => void;
  /** Every judged call with its messages and events (the kept-calls keeper). */
  readonly onCall?: (callId: string, messages: readonly SipMessage[], events: readonly CallEvent[]) => void;
  /** A call's audio quality from RTCP (HEP type 5) or RFC 6035 reports, once its reports have stopped. */
  readonly onQuality?: (update: QualityUpdate) => void;
  /** How long a call's quality reports must stop before it is handed on (default 20 s). */
  readonly qualityQuietMs?: number;
  /** Every completed Call-ID that held a REGISTER, events or not (registration watching). */
  readonly onRegister?: (messages: readonly SipMessage[]) => void;
  readonly now?: () => number;
}

// Average SIP-over-HEP packet is well under 2 KiB; the byte cap keeps a flood of 64 KiB datagrams bounded too.
const QUEUE_BYTES_PER_PACKET = 2048;
const SWEEP_MS = 100;
// Falling behind, by either measure, makes completed calls be counted without running the findings rules:
// the packet queue more than a quarter full, or calls waiting over a second for triage.
const SHED_FINDINGS_AT = 0.25;
const SHED_FINDINGS_LAG_MS = 1000;

/**
 * HEP packets in, call events out: decode, check the capture password, parse the SIP payload with the
 * packet's meta, count responses as they arrive, and hold messages per call until the call completes; then
 * the triage core groups and judges it and its events are recorded. Every bad packet is counted by reason
 * and dropped; nothing a sender does can throw out of here.
 */
export class HepCollector {
  readonly #o: HepCollectorOptions;
  readonly #now: () => number;
  readonly #queue: SlicedQueue<Buffer>;
  readonly #completed: SlicedQueue<{ readonly call: CompletedCall; readonly at: number }>;
  readonly #calls: OpenCalls;
  readonly #quality: CallQualityTracker;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HepCollectorOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#queue = new SlicedQueue<Buffer>({
      capacity: options.queuePackets,
      maxWeight: options.queuePackets * QUEUE_BYTES_PER_PACKET,
      weight: (bytes) => bytes.length,
      handle: (bytes) => this.#safely(() => this.process(bytes)),
    });
    // Completed calls wait here for triage, so that a wave of calls closing at once is worked off in slices.
    this.#completed = new SlicedQueue<{ readonly call: CompletedCall; readonly at: number }>({
      capacity: options.maxOpenCalls,
      maxWeight: Number.POSITIVE_INFINITY,
      weight: () => 1,
      handle: (item) => this.#triage(item),
    });
    this.#calls = new OpenCalls({
      maxCalls: options.maxOpenCalls,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      onComplete: (call) => {
        if (!this.#completed.push({ call, at: performance.now() })) this.#drop('call-evicted');
      },
      onDiscard: () => this.#drop('call-evicted'),
    });
    this.#quality = new CallQualityTracker({
      maxCalls: options.maxOpenCalls,
      ...(options.qualityQuietMs === undefined ? {} : { quietMs: options.qualityQuietMs }),
      onQuality: (u) => options.onQuality?.(u),
    });
    options.metrics.gauge('siptriage_hep_quality_calls', 'Calls whose RTCP or voice quality reports are being gathered', () => this.#quality.size);
    options.metrics.gauge('siptriage_hep_queue_packets', 'HEP packets waiting to be parsed', () => this.#queue.size);
    options.metrics.gauge('siptriage_hep_open_calls', 'Calls in progress held by the HEP collector', () => this.#calls.size);
    options.metrics.gauge('siptriage_hep_calls_to_triage', 'Completed calls waiting for triage', () => this.#completed.size);
  }

  /** Starts the timer that closes completed calls. */
  start(): void {
    this.#timer ??= setInterval(() => this.sweep(), SWEEP_MS);
    this.#timer.unref();
  }

  /**
   * Whether the packet queue is more than half full. Stream senders (TCP) are paused then, so that their
   * own buffers and TCP flow control hold the backlog instead of packets being dropped here.
   */
  get backlogged(): boolean {
    return this.#queue.size > this.#o.queuePackets / 2;
  }

  /** Settles once the packet queue is down to a quarter full. */
  async whenRoom(): Promise<void> {
    while (this.#queue.size > this.#o.queuePackets / 4) await this.#queue.idle();
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
      // A packet with no payload is a capture agent's keep-alive more often than a fault.
      const code = decoded.problem.code;
      this.#drop(code === 'hep-truncated' ? 'truncated' : code === 'hep-no-payload' ? 'no-payload' : 'malformed');
      return;
    }
    const packet = decoded.value;
    if (this.#o.password !== undefined && !sameSecret(packet.authKey, this.#o.password)) {
      this.#drop('auth');
      return;
    }
    if (packet.protocolType === HEP_PROTOCOL_RTCP) {
      this.#rtcp(packet);
      return;
    }
    const p = peekHep(packet, bytes);
    if (!p.ok) {
      this.#drop(p.reason);
      return;
    }
    const { peek, held, src } = p.value;
    if (peek.method === 'PUBLISH' && this.#voiceQuality(held)) return;
    const added = this.#calls.add(peek.callId, peek.key, held, this.#now());
    if (added === 'late') this.#drop('late');
    else if (added === 'full') this.#drop('call-full');
    else if (added === 'new' && peek.status !== undefined) this.#o.metrics.sipResponse(peek.status, peek.cseq?.method ?? '', src);
  }

  sweep(): void {
    const now = this.#now();
    this.#calls.sweep(now);
    this.#quality.sweep(now);
  }

  // RTCP is tied to its call by the HEP correlation id, which the agents that send it set to the Call-ID.
  #rtcp(packet: HepPacket): void {
    const callId = packet.correlationId;
    if (callId === undefined || callId === '' || packet.src === undefined || packet.dst === undefined) {
      this.#drop('rtcp-no-call');
      return;
    }
    const r = packet.compressed ? undefined : readHepRtcp(packet.payload);
    if (r === undefined || !r.ok) {
      this.#drop('rtcp-unreadable');
      return;
    }
    const at = (e: NonNullable<HepPacket['src']>): string => (e.port === undefined ? e.host : endpoint(e.host, e.port));
    // Round trips pair an RR with the SR it names by capture times, so the agent's clock, not arrival here.
    const now = this.#now();
    this.#quality.rtcp(callId, r.value, at(packet.src), at(packet.dst), now, hepTimeMs(packet) ?? now);
  }

  /** A PUBLISH carrying an RFC 6035 report is read here and goes no further; true when it was one. */
  #voiceQuality(held: HeldMessage): boolean {
    const m = parseHeld(held);
    if (m?.contentType?.toLowerCase() !== VQ_RTCPXR_TYPE) return false;
    const r = parseVqReport(m.body);
    if (r.ok) this.#quality.vq(r.value, this.#now());
    else this.#drop('vq-unreadable');
    return true;
  }

  /** Settles once every packet received so far has been parsed, and every call closed so far judged. */
  async idle(): Promise<void> {
    while (this.#queue.size > 0 || this.#completed.size > 0) {
      await this.#queue.idle();
      await this.#completed.idle();
    }
  }

  /** Parses what is queued and completes every call that has its final response. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#queue.drainAll();
    this.#calls.flush(this.#now());
    this.#completed.drainAll();
    this.#quality.flush(this.#now());
  }

  #triage({ call, at }: { readonly call: CompletedCall; readonly at: number }): void {
    this.#safely(() => {
      const messages = call.messages.flatMap((h) => parseHeld(h) ?? []);
      // Shedding starts with the findings: when ingest falls behind, calls are counted exactly but not examined.
      const behind = this.#queue.size > this.#o.queuePackets * SHED_FINDINGS_AT || performance.now() - at > SHED_FINDINGS_LAG_MS;
      const findings = this.#o.findings === 'always' || (this.#o.findings !== 'off' && !behind);
      const events = liveCallEvents(this.#o.kb, messages, this.#now(), { findings });
      if (!findings && events.length > 0) this.#o.metrics.callsWithoutFindings(events.length);
      if (events.length > 0) {
        this.#quality.notePeer(call.callId, events[0]!.peer);
        this.#o.onEvents(events);
        this.#o.onCall?.(call.callId, messages, events);
      }
      // Answered REGISTERs make no events, yet they are what the bindings are counted from.
      if (this.#o.onRegister !== undefined && messages.some((m) => m.cseq?.method === 'REGISTER')) this.#o.onRegister(messages);
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
