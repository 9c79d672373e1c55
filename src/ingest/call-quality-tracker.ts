import { CallQualityAccumulator, type CallQuality } from '../core/media/call-quality.js';
import type { RtcpCompound } from '../core/media/rtcp-packet.js';
import type { VqReport } from '../core/media/vq-rtcpxr.js';
import { hashCallId } from '../core/triage/call-events.js';

/** A call's audio quality, ready to be stored with its event (matched by the Call-ID hash). */
export interface QualityUpdate {
  readonly callIdHash: string;
  readonly quality: CallQuality;
  /** When the last report came (ms). */
  readonly time: number;
  /** The peer of the call's event, when the call was judged before its quality was complete. */
  readonly peer: string | null;
}

export interface CallQualityTrackerOptions {
  readonly maxCalls: number;
  /** A call whose reports have stopped this long is over: its quality is handed on. */
  readonly quietMs?: number;
  readonly onQuality: (update: QualityUpdate) => void;
}

interface Tracked {
  readonly acc: CallQualityAccumulator;
  lastSeen: number;
}

// RTCP goes every 5 s or so (RFC 3550 §6.2); three missed intervals and more means the media has stopped.
const DEFAULT_QUIET_MS = 20_000;

/**
 * Live quality reports by call: RTCP (HEP type 5, tied by the HEP correlation id, which rtpengine, heplify
 * and Asterisk set to the SIP Call-ID) and RFC 6035 PUBLISH bodies (which name the Call-ID). Reports keep
 * coming after the call's event has been recorded (it is recorded at the answer), so the quality follows as
 * an update once the reports stop, or at once on a final (CallTerm) report. Bounded: the oldest call is
 * handed on early to make room. Time is passed in, as in OpenCalls.
 */
export class CallQualityTracker {
  readonly #calls = new Map<string, Tracked>();
  /** Peers of recently judged calls, oldest first, for reports that come after the call was judged. */
  readonly #peers = new Map<string, string | null>();
  readonly #o: CallQualityTrackerOptions;
  readonly #quietMs: number;

  constructor(options: CallQualityTrackerOptions) {
    this.#o = options;
    this.#quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
  }

  get size(): number {
    return this.#calls.size;
  }

  /** `at`: when the agent captured the packet (HEP's time), for round trips; `now`: this process's clock. */
  rtcp(callId: string, report: RtcpCompound, src: string, dst: string, now: number, at: number = now): void {
    this.#get(callId, now).acc.rtcp(report, src, dst, at);
  }

  vq(report: VqReport, now: number): void {
    this.#get(report.callId, now).acc.vq(report);
    if (report.callTerm) this.#finish(report.callId, now);
  }

  /** The call was judged: its event's peer goes with the quality (for per-peer alerts). */
  notePeer(callId: string, peer: string | null): void {
    this.#peers.delete(callId);
    if (this.#peers.size >= this.#o.maxCalls) {
      const oldest = this.#peers.keys().next().value;
      if (oldest !== undefined) this.#peers.delete(oldest);
    }
    this.#peers.set(callId, peer);
  }

  /** Hands on every call whose reports have stopped; returns how many. */
  sweep(now: number): number {
    let done = 0;
    for (const [callId, t] of this.#calls) {
      if (t.lastSeen + this.#quietMs > now) break;
      this.#finish(callId, now);
      done++;
    }
    return done;
  }

  /** Shutdown: everything gathered so far is handed on. */
  flush(now: number): void {
    for (const callId of [...this.#calls.keys()]) this.#finish(callId, now);
  }

  #get(callId: string, now: number): Tracked {
    let t = this.#calls.get(callId);
    if (t === undefined) {
      if (this.#calls.size >= this.#o.maxCalls) {
        const oldest = this.#calls.keys().next().value;
        if (oldest !== undefined) this.#finish(oldest, now);
      }
      t = { acc: new CallQualityAccumulator(), lastSeen: now };
    } else this.#calls.delete(callId);
    // Re-inserted at the back: the map stays ordered by the last report, so sweep stops at the first live one.
    t.lastSeen = now;
    this.#calls.set(callId, t);
    return t;
  }

  #finish(callId: string, now: number): void {
    const t = this.#calls.get(callId);
    this.#calls.delete(callId);
    const quality = t?.acc.summary();
    if (t === undefined || quality === undefined) return;
    this.#o.onQuality({ callIdHash: hashCallId(callId), quality, time: Math.min(now, t.lastSeen), peer: this.#peers.get(callId) ?? null });
  }
}
