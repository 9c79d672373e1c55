import type { Outcome } from '../triage/call.js';

/** A column: one host (address and port), named by the product it announced where it did. */
export interface LadderHost {
  /** "10.0.0.1:5060", "[2001:db8::1]:5060", or a name from Via / Request-URI when the trace has no addresses. */
  readonly address: string;
  /** First token of the Server or User-Agent header the host sent ("Kamailio", "SIPp/3.6.1"). */
  readonly product: string | undefined;
}

/** Why an arrow stands out: the failing response, the request it answers, a request nobody answered. */
export type Highlight = 'failure' | 'failed-request' | 'unanswered';

export interface LadderArrow {
  /** Column indexes into the call's hosts. */
  readonly from: number;
  readonly to: number;
  /** "INVITE (SDP)", "486 Busy Here". */
  readonly label: string;
  readonly kind: 'request' | 'response';
  /** Milliseconds since the call's first message, when the trace has times. */
  readonly offsetMs: number | undefined;
  /** Epoch milliseconds of the message, when the trace has them (for summaries with timestamps). */
  readonly time: number | undefined;
  /** 1-based message number in the whole trace ("message #7"). */
  readonly message: number;
  readonly retransmission: boolean;
  readonly highlight: Highlight | undefined;
}

export interface LadderCall {
  readonly callId: string;
  /** "INVITE → 486 Busy Here (failed)". */
  readonly title: string;
  readonly outcome: Outcome;
  readonly hosts: readonly LadderHost[];
  readonly arrows: readonly LadderArrow[];
  /** Messages of this call not drawn because the diagram hit its cap. */
  readonly omittedArrows: number;
}

export interface Ladder {
  /** Calls in the order shown: failing ones first. */
  readonly calls: readonly LadderCall[];
  /** What was left out, in a sentence, when anything was. */
  readonly note: string | undefined;
}
