import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { Redactor, type RedactOptions } from '../redact.js';
import type { SipMessage } from '../sip/message.js';
import type { TraceEntry } from './call.js';
import { groupCalls, retransmissionKey } from './group-calls.js';
import { evaluateRules, type CallReport } from './triage.js';
import { ownString } from './own-string.js';

/** Bounds on what a stream of messages may make the triage hold while calls are still open. */
export interface CallStreamLimits {
  /** Calls followed at once; past this the least recently active is judged as it stands. */
  readonly maxOpenCalls: number;
  /** Message text held across open calls; past this the least recently active call is judged. */
  readonly maxOpenBytes: number;
  /** A call quiet this long in capture time is over: 64 × T1, Timer B's span (RFC 3261 §17.1.1.2). */
  readonly idleMs: number;
  /** Messages kept for one call; more are counted, not held (a hostile file can repeat one Call-ID). */
  readonly maxMessagesPerCall: number;
  /** Call-IDs of judged calls remembered, so a late BYE or retransmission is not taken for a new call. */
  readonly rememberJudged: number;
}

export const DEFAULT_CALL_STREAM_LIMITS = {
  maxOpenCalls: 5_000,
  maxOpenBytes: 24 * 1024 * 1024,
  idleMs: 32_000,
  maxMessagesPerCall: 500,
  rememberJudged: 50_000,
} as const satisfies Required<CallStreamLimits>;

export interface CallStreamOptions {
  readonly redact?: RedactOptions;
  readonly limits?: Partial<CallStreamLimits>;
  /** Each message in arrival order, with whether it repeats an earlier one of its call. */
  readonly onEntry?: (entry: TraceEntry) => void;
  /** Each call once judged; calls are not held after this returns. */
  readonly onCall: (report: CallReport) => void;
}

/** What the stream saw beyond the calls it judged. */
export interface CallStreamStats {
  readonly messages: number;
  readonly retransmissions: number;
  /** Messages of calls already judged (a BYE long after the answer), counted but not judged again. */
  readonly late: number;
  /** Calls judged before they went quiet because the open-call bounds were reached. */
  readonly judgedEarly: number;
  /** Messages past a call's maxMessagesPerCall, counted and not held. */
  readonly dropped: number;
}

interface OpenCall {
  readonly callId: string;
  readonly entries: TraceEntry[];
  readonly keys: Set<string>;
  bytes: number;
  last: number;
}

/**
 * Triage of a capture too large to hold: messages arrive one by one, are grouped by Call-ID into open calls,
 * and each call is judged with every rule once it has been quiet for `idleMs` of capture time (or at the end),
 * then let go. Memory is bounded by the limits whatever the input; the judged calls go to `onCall`.
 */
export class CallStream {
  readonly #kb: KnowledgeBase;
  readonly #redactor: Redactor;
  readonly #limits: CallStreamLimits;
  readonly #onEntry: CallStreamOptions['onEntry'];
  readonly #onCall: CallStreamOptions['onCall'];
  /** Open calls, least recently active first (a Map keeps insertion order; a touched call is re-inserted). */
  readonly #open = new Map<string, OpenCall>();
  readonly #judged = new Set<string>();
  /** The same Call-IDs in the order judged, as a ring: the oldest is forgotten first. */
  readonly #judgedOrder: string[] = [];
  #judgedNext = 0;
  #openBytes = 0;
  #now = -Infinity;
  #messages = 0;
  #retransmissions = 0;
  #late = 0;
  #judgedEarly = 0;
  #dropped = 0;

  constructor(kb: KnowledgeBase, options: CallStreamOptions) {
    this.#kb = kb;
    this.#redactor = new Redactor(options.redact);
    this.#limits = { ...DEFAULT_CALL_STREAM_LIMITS, ...options.limits };
    this.#onEntry = options.onEntry;
    this.#onCall = options.onCall;
  }

  get stats(): CallStreamStats {
    return { messages: this.#messages, retransmissions: this.#retransmissions, late: this.#late, judgedEarly: this.#judgedEarly, dropped: this.#dropped };
  }

  /** Calls and message bytes held right now, to check the bounds hold whatever the input. */
  get held(): { readonly calls: number; readonly bytes: number } {
    return { calls: this.#open.size, bytes: this.#openBytes };
  }

  add(message: SipMessage): void {
    const index = ++this.#messages;
    const time = message.meta.time;
    if (time !== undefined && time > this.#now) this.#now = time;
    const callId = message.callId;
    let call = this.#open.get(callId);
    if (call === undefined) {
      if (this.#judged.has(callId)) {
        this.#late++;
        return;
      }
      call = { callId, entries: [], keys: new Set(), bytes: 0, last: this.#now };
    } else this.#open.delete(callId);
    this.#open.set(callId, call);
    call.last = this.#now;
    const key = retransmissionKey(message);
    const retransmission = call.keys.has(key);
    if (retransmission) this.#retransmissions++;
    else call.keys.add(key);
    const entry: TraceEntry = { index, message, retransmission };
    this.#onEntry?.(entry);
    if (call.entries.length >= this.#limits.maxMessagesPerCall) {
      this.#dropped++;
    } else {
      call.entries.push(entry);
      const bytes = message.raw.length;
      call.bytes += bytes;
      this.#openBytes += bytes;
    }
    if ((index & 63) === 0) this.#judgeQuiet();
    while (this.#open.size > this.#limits.maxOpenCalls || (this.#openBytes > this.#limits.maxOpenBytes && this.#open.size > 1)) {
      this.#judgedEarly++;
      this.#judgeOldest();
    }
  }

  /** The input has ended: every open call is judged as it stands. */
  end(): void {
    while (this.#open.size > 0) this.#judgeOldest();
  }

  #judgeQuiet(): void {
    const before = this.#now - this.#limits.idleMs;
    for (const call of this.#open.values()) {
      if (call.last >= before) return;
      this.#judge(call);
    }
  }

  #judgeOldest(): void {
    const first = this.#open.values().next();
    if (first.done !== true) this.#judge(first.value);
  }

  // A ring rather than deleting a Set's first entry: each such delete leaves a hole that the next
  // values().next() walks past again, which made forgetting quadratic.
  #remember(parsed: string): void {
    if (this.#limits.rememberJudged <= 0) return;
    // Remembered long after the call's messages are let go: a copy, or each Call-ID keeps its message alive.
    const callId = ownString(parsed);
    this.#judged.add(callId);
    if (this.#judgedOrder.length < this.#limits.rememberJudged) {
      this.#judgedOrder.push(callId);
      return;
    }
    const oldest = this.#judgedOrder[this.#judgedNext];
    if (oldest !== undefined && oldest !== callId) this.#judged.delete(oldest);
    this.#judgedOrder[this.#judgedNext] = callId;
    this.#judgedNext = (this.#judgedNext + 1) % this.#limits.rememberJudged;
  }

  #judge(open: OpenCall): void {
    this.#open.delete(open.callId);
    this.#openBytes -= open.bytes;
    this.#remember(open.callId);
    for (const call of groupCalls(open.entries)) this.#onCall({ call, findings: evaluateRules(this.#kb, call, this.#redactor) });
  }
}
