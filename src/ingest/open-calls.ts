import { DEFAULT_CALL_TIMERS, MAX_MESSAGES_PER_CALL, type CallTimers } from './call-timers.js';
import type { CSeq } from '../core/sip/cseq.js';
import type { HeldMessage } from './held-message.js';
import { RecentCalls } from './recent-calls.js';

interface OpenCall {
  readonly callId: string;
  readonly messages: HeldMessage[];
  /** Hashes of the copy keys of the messages held, to tell copies from new messages (see hashKey). */
  readonly keys: Set<number>;
  /** The method that opened the call: the first request other than ACK and CANCEL. */
  method: string | undefined;
  /** Highest CSeq number of that method, so late copies can be told from a new transaction. */
  seq: number;
  readonly firstSeen: number;
  lastSeen: number;
  final: boolean;
  ringing: boolean;
}

export type AddResult = 'new' | 'retransmission' | 'late' | 'full';

export interface CompletedCall {
  readonly callId: string;
  readonly messages: readonly HeldMessage[];
  /** Why it closed: its final response went quiet, the timers ran out, room was needed, or shutdown. */
  readonly reason: 'final' | 'timeout' | 'evicted' | 'flush';
}

export interface OpenCallsOptions {
  readonly maxCalls: number;
  readonly timers?: Partial<CallTimers>;
  readonly onComplete: (call: CompletedCall) => void;
  /** A call dropped without an outcome (evicted or shut down before any final response). */
  readonly onDiscard?: (callId: string, messages: number) => void;
}

/**
 * The bounded table of calls still in progress. Live traffic arrives message by message, so messages are
 * held per Call-ID until the call completes, then handed over whole to the triage core. Memory is bounded
 * by the number of calls (the oldest is closed to make room) and messages per call. Time is passed in,
 * so the table is deterministic under test.
 */
export class OpenCalls {
  readonly #calls = new Map<string, OpenCall>();
  // Calls whose final response has arrived, in order of their last message: the front is due first.
  readonly #finishing = new Map<string, OpenCall>();
  readonly #recent: RecentCalls;
  readonly #timers: CallTimers;
  readonly #options: OpenCallsOptions;

  constructor(options: OpenCallsOptions) {
    this.#options = options;
    this.#timers = { ...DEFAULT_CALL_TIMERS, ...options.timers };
    this.#recent = new RecentCalls(options.maxCalls, this.#timers.lateMs);
  }

  get size(): number {
    return this.#calls.size;
  }

  /**
   * Adds a message of call `callId` whose copies share `copyKey` (SipPeek.key); says whether it was new, a
   * copy of one already held, late for a closed call, or over the per-call cap.
   */
  add(callId: string, copyKey: string, message: HeldMessage, now: number): AddResult {
    let call = this.#calls.get(callId);
    if (call === undefined) {
      if (this.#recent.isLate(callId, message, now)) return 'late';
      if (this.#calls.size >= this.#options.maxCalls) this.#evictOldest();
      call = { callId, messages: [], keys: new Set(), method: undefined, seq: -1, firstSeen: now, lastSeen: now, final: false, ringing: false };
      this.#calls.set(callId, call);
    }
    if (call.messages.length >= MAX_MESSAGES_PER_CALL) return 'full';
    // Copies are held too: how often a request was resent unanswered is evidence (a timeout, a lost ACK).
    call.messages.push(message);
    const key = hashKey(copyKey);
    const copy = call.keys.has(key);
    if (!copy) {
      call.keys.add(key);
      this.#note(call, message);
    }
    // After #note: a final response that is the call's last packet (no ACK captured) must already be
    // marked final here, or the call never enters the finishing list and waits for an eviction.
    this.#touch(call, now);
    return copy ? 'retransmission' : 'new';
  }

  /** Closes every call that is due. Returns how many closed. */
  sweep(now: number): number {
    let closed = 0;
    for (const call of this.#finishing.values()) {
      if (call.lastSeen + this.#timers.graceMs > now) break;
      this.#close(call, 'final', now);
      closed++;
    }
    // Oldest first; ringing calls younger than Timer C are stepped over, and the walk is bounded.
    let looked = 0;
    for (const call of this.#calls.values()) {
      if (call.firstSeen + this.#timers.unansweredMs > now || looked++ > 10_000) break;
      if (call.final) continue;
      if (call.ringing && call.firstSeen + this.#timers.ringingMs > now) continue;
      this.#close(call, 'timeout', now);
      closed++;
    }
    this.#recent.sweep(now);
    return closed;
  }

  /** Shutdown: calls with a final response are completed now; the others cannot be judged and are discarded. */
  flush(now: number): void {
    for (const call of [...this.#calls.values()]) {
      if (call.final) this.#close(call, 'flush', now);
      else {
        this.#remove(call);
        this.#options.onDiscard?.(call.callId, call.messages.length);
      }
    }
  }

  #note(call: OpenCall, m: { readonly method: string | undefined; readonly status: number | undefined; readonly cseq: CSeq | undefined }): void {
    const cseq = m.cseq;
    if (m.method !== undefined) {
      if (call.method === undefined && m.method !== 'ACK' && m.method !== 'CANCEL') call.method = m.method;
      if (cseq !== undefined && cseq.method === call.method) call.seq = Math.max(call.seq, cseq.seq);
      return;
    }
    const status = m.status ?? 0;
    // A response can be captured before its request (another capture point): it names the method then.
    const method = cseq?.method;
    if (method === undefined || method === 'ACK' || method === 'CANCEL') return;
    call.method ??= method;
    if (method !== call.method) return;
    call.seq = Math.max(call.seq, cseq?.seq ?? -1);
    if (status >= 200) call.final = true;
    else call.ringing = true;
  }

  #touch(call: OpenCall, now: number): void {
    call.lastSeen = now;
    if (!call.final) return;
    // Re-insert to move it to the back: the finishing map stays ordered by last activity.
    this.#finishing.delete(call.callId);
    this.#finishing.set(call.callId, call);
  }

  #evictOldest(): void {
    const oldest = this.#calls.values().next().value;
    if (oldest === undefined) return;
    if (oldest.final) {
      this.#close(oldest, 'evicted', oldest.lastSeen);
      return;
    }
    this.#remove(oldest);
    this.#options.onDiscard?.(oldest.callId, oldest.messages.length);
  }

  #close(call: OpenCall, reason: CompletedCall['reason'], now: number): void {
    this.#remove(call);
    if (call.method !== undefined) this.#recent.add(call.callId, call.method, call.seq, now);
    this.#options.onComplete({ callId: call.callId, messages: call.messages, reason });
  }

  #remove(call: OpenCall): void {
    this.#calls.delete(call.callId);
    this.#finishing.delete(call.callId);
  }
}

/**
 * A 53-bit hash of a copy key (two 32-bit FNV-1a lanes). Only messages of one call are compared, a few
 * dozen at most, so a collision (which would drop one message of that call) is vanishingly unlikely;
 * holding numbers instead of the keys keeps calls in progress small.
 */
export function hashKey(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + (b >>> 11);
}
