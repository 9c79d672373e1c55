import type { SipMessage } from '../sip/message.js';

/** A message in trace order, with whether it repeats an earlier one (a retransmission, or the same paste twice). */
export interface TraceEntry {
  /** 1-based position in the trace, as shown to people ("message #3"). */
  readonly index: number;
  readonly message: SipMessage;
  readonly retransmission: boolean;
}

/** One hop's transaction (RFC 3261 §17.1.3): top Via branch plus CSeq method. */
export interface Transaction {
  readonly key: string;
  readonly method: string;
  readonly seq: number;
  readonly requests: readonly TraceEntry[];
  readonly responses: readonly TraceEntry[];
  /** The first final (>= 200) response that is not a retransmission. */
  readonly final: TraceEntry | undefined;
}

/**
 * How the call's initial request ended. `challenged`: the trace stops at a 401/407 that nobody answered,
 * which is usually a cut-off paste, not a failure.
 */
export type Outcome = 'answered' | 'failed' | 'cancelled' | 'challenged' | 'redirected' | 'no-final';

/** One attempt: every hop's transaction for one CSeq number of the initial method. */
export interface Attempt {
  readonly seq: number;
  readonly transactions: readonly Transaction[];
  /** The final response the caller saw: the last one in trace order across hops. */
  readonly final: TraceEntry | undefined;
  /** The final response nearest its origin: the first one in trace order across hops. */
  readonly firstFinal: TraceEntry | undefined;
  readonly request: TraceEntry | undefined;
  readonly hasCredentials: boolean;
}

export interface Call {
  readonly callId: string;
  readonly entries: readonly TraceEntry[];
  readonly transactions: readonly Transaction[];
  /** The method that started it (INVITE, REGISTER, OPTIONS, …). */
  readonly method: string;
  readonly attempts: readonly Attempt[];
  readonly outcome: Outcome;
  /** The final response of the last attempt, as the caller saw it. */
  readonly final: TraceEntry | undefined;
  /** The response the failure is about (same as final for failed calls, absent otherwise). */
  readonly failure: TraceEntry | undefined;
}
