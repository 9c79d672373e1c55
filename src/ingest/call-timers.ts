/**
 * How long a live call stays open (RFC 3261 timers with T1 = 500 ms). A call is complete once its final
 * response has been followed by `graceMs` of quiet (the ACK, retransmitted finals); without a final it is
 * given up after Timer B/F (64·T1 = 32 s, §17.1.1.2 and §17.1.2.2) when nothing answered at all, or after
 * Timer C (more than 3 minutes, §16.6 step 11) once something rang.
 */
export interface CallTimers {
  readonly graceMs: number;
  /** Nothing answered: the client transaction has timed out by now. */
  readonly unansweredMs: number;
  /** Provisional responses only: a proxy's Timer C has fired by now. */
  readonly ringingMs: number;
  /** How long late retransmissions of a completed call are recognised and ignored (Timer H/J, 64·T1). */
  readonly lateMs: number;
}

export const DEFAULT_CALL_TIMERS: CallTimers = {
  graceMs: 2000,
  unansweredMs: 40_000,
  ringingMs: 200_000,
  lateMs: 32_000,
};

/** More messages than this in one call is a loop or an attack, not a call: the rest are dropped. */
export const MAX_MESSAGES_PER_CALL = 64;
