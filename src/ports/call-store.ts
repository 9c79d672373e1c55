import type { CallEventKind } from '../core/triage/call-events.js';
import type { Surface } from './store.js';

/**
 * Kept calls: the messages of failing calls (and a sample of answered ones) seen on live traffic, so that an
 * alert or a search can open one. Both stores implement it beside their Store; methods reject with
 * StoreError on faults. Unlike events, kept calls hold the trace itself, so they are bounded by days
 * (CALLS_KEEP_DAYS) and by bytes per day (CALLS_MAX_MB_PER_DAY), and can be switched off (CALLS_KEEP=off).
 */

/** One SIP message of a kept call, as captured. */
export interface KeptMessage {
  /** Capture time (ms since the epoch). */
  readonly time: number;
  /** "host:port" (IPv6 hosts in brackets), or null when the source did not say. */
  readonly src: string | null;
  readonly dst: string | null;
  /** "udp", "tcp", "tls", … or null. */
  readonly transport: string | null;
  /** The message text exactly as received (redaction is applied when shown, never when kept). */
  readonly raw: string;
}

/** A call to keep: its outcome, its search keys and its messages. */
export interface KeptCallInput {
  readonly callId: string;
  /** Time of its first message (ms). */
  readonly time: number;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  readonly peer: string | null;
  readonly findings: readonly string[];
  /** The caller and callee as shown in lists (From and To user parts), or null. */
  readonly from: string | null;
  readonly to: string | null;
  /** Numbers from From, To, P-Asserted-Identity and the Request-URI, E.164-normalised: the number index. */
  readonly numbers: readonly string[];
  /** Keys that join legs of one call through a B2BUA: its own Call-ID (after rules) and correlation values. */
  readonly legKeys: readonly string[];
  readonly surface: Surface;
  readonly messages: readonly KeptMessage[];
}

/** One row of a search: what a list shows, newest first. */
export interface KeptCallSummary {
  /** The store's id of the kept call (opaque, for paging and opening). */
  readonly id: string;
  readonly callId: string;
  readonly time: number;
  readonly kind: CallEventKind;
  readonly code: number;
  readonly method: string;
  readonly peer: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly findings: readonly string[];
  readonly messages: number;
  readonly bytes: number;
}

export interface KeptCall extends KeptCallSummary {
  readonly legKeys: readonly string[];
  readonly trace: readonly KeptMessage[];
}

/** A row of a list, as the next page starts from it: the order is time DESC, then id DESC. */
export interface KeptCallCursor {
  readonly time: number;
  /** A KeptCallSummary's id (an integer in both stores). */
  readonly id: string;
}

/** A search; every criterion given must match. Times are ms, `to` exclusive. */
export interface KeptCallQuery {
  readonly from: number;
  readonly to: number;
  /**
   * Only the rows listed after this one (older, or as old with a smaller id): a page boundary that falls in a
   * millisecond many calls share (a HEP burst) skips none of them and shows none twice.
   */
  readonly after?: KeptCallCursor;
  readonly code?: number;
  /** 4, 5 or 6: any code of that class. */
  readonly codeClass?: number;
  readonly peer?: string;
  /** E.164-normalised, as numbers are kept. */
  readonly number?: string;
  readonly callId?: string;
  readonly kind?: CallEventKind;
  readonly limit: number;
}

export interface KeepLimits {
  /** Bytes of messages a UTC day may hold; calls beyond it that day are refused (counted). */
  readonly maxBytesPerDay: number;
}

export interface KeepResult {
  readonly kept: number;
  /** The same call kept before (a redelivered batch): stored once. */
  readonly duplicates: number;
  /** Refused because its day was at the byte cap. */
  readonly overCap: number;
}

export interface CallStore {
  keepCalls(calls: readonly KeptCallInput[], limits: KeepLimits): Promise<KeepResult>;
  /** Matching calls, newest first, at most `limit`. */
  findCalls(query: KeptCallQuery): Promise<KeptCallSummary[]>;
  /** Every kept call with this Call-ID, oldest first, with its messages. */
  openCalls(callId: string): Promise<KeptCall[]>;
  /** Calls sharing a leg key with `keys` within `around` ± windowMs (its other legs), with messages. */
  legsOf(keys: readonly string[], around: number, windowMs: number): Promise<KeptCall[]>;
  /** Drops kept calls from before `before` (ms); whole days go. Returns how many calls went. */
  pruneCalls(before: number): Promise<number>;
  /** Bytes kept on the UTC day that holds `time` (for the cap and /metrics). */
  keptBytes(time: number): Promise<number>;
}
