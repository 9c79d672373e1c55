import type { Problem } from '../result.js';
import type { ProbeAnswer } from './probe-answer.js';
import type { ProbeRequest } from './probe-request.js';
import type { ProbeTransport } from './probe-target.js';
import type { TlsReport } from './tls-report.js';

/** One address, port and transport that resolution produced, in the order it is tried. */
export interface ResolvedTarget {
  readonly address: string;
  readonly port: number;
  readonly transport: ProbeTransport;
  /** The host name the address came from (an SRV target, or the name asked for). */
  readonly name?: string;
}

/** One line of the RFC 3263 walk, as shown: what was asked, what came back. */
export interface ResolutionStep {
  readonly kind: 'NAPTR' | 'SRV' | 'A' | 'AAAA' | 'address' | 'default';
  readonly query: string;
  /** Records as text, in the order they are used: "10 50 IN SRV 5060 sip1.example.com." */
  readonly records: readonly string[];
  /** Set when the lookup failed (NXDOMAIN, timeout) or found nothing usable: one sentence. */
  readonly note?: string;
}

export interface Resolution {
  readonly steps: readonly ResolutionStep[];
  readonly targets: readonly ResolvedTarget[];
  /** DNS itself failed or gave no address at all. */
  readonly problem?: Problem;
}

export type AttemptOutcome =
  | {
      readonly kind: 'answer';
      readonly answer: ProbeAnswer;
      /** From the first send to the final answer, and from the last send before it (the RTT if that copy was answered). */
      readonly rttMs: number;
      readonly rttLastSendMs: number;
      /** Provisional answers seen first (100 Trying, 180 Ringing). */
      readonly provisional: readonly number[];
    }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'transport-error'; readonly code: string; readonly message: string }
  | { readonly kind: 'junk'; readonly bytes: number; readonly message: string }
  | { readonly kind: 'refused'; readonly problem: Problem };

export interface ProbeAttempt {
  readonly target: ResolvedTarget;
  /** When the request was sent, in ms after the attempt began: 0, 500, 1500, 3500… over UDP. */
  readonly sends: readonly number[];
  readonly outcome: AttemptOutcome;
  readonly tls?: TlsReport;
  /** REGISTER: whether a challenge was answered, and the unregister that followed. */
  readonly register?: RegisterSteps;
}

export interface RegisterSteps {
  /** The first answer (401/407 with a challenge) before credentials were sent. */
  readonly challenge?: { readonly status: number; readonly algorithm: string; readonly realm: string };
  /** Expires: 0 sent after a successful registration, and its answer. */
  readonly unregister?: { readonly status: number; readonly reason: string } | { readonly failed: string };
  /** Why no credentials were sent to a challenge. */
  readonly noCredentials?: string;
}

export interface ProbeReport {
  readonly request: ProbeRequest;
  /** The Request-URI sent. */
  readonly uri: string;
  readonly resolution: Resolution;
  readonly attempts: readonly ProbeAttempt[];
  /** The local address the probe left from, when one is configured. */
  readonly localAddress?: string;
}

/**
 * The code a SIP client would report for an attempt: the answer's, 408 when Timer F fired (RFC 3261
 * §17.1.2.2, §8.1.3.1), 503 for a transport error (§8.1.3.1); undefined when nothing was sent.
 */
export function attemptCode(outcome: AttemptOutcome): number | undefined {
  switch (outcome.kind) {
    case 'answer':
      return outcome.answer.status;
    case 'timeout':
      return 408;
    case 'transport-error':
    case 'junk':
      return 503;
    case 'refused':
      return undefined;
  }
}

/**
 * RFC 3263 §4.3: a client moves on to the next target when the transaction times out, the transport fails
 * or the answer is 503; any other answer is final.
 */
export function triesNext(outcome: AttemptOutcome): boolean {
  return outcome.kind !== 'answer' || outcome.answer.status === 503;
}

/** The attempt whose outcome is the probe's answer: the last one made. */
export function finalAttempt(report: ProbeReport): ProbeAttempt | undefined {
  return report.attempts[report.attempts.length - 1];
}

/**
 * Up, for monitoring: the server answered and is taking requests. 401/407 (wants credentials), 403/404 and
 * 405 (does not do OPTIONS) still prove a live SIP stack; 408, 5xx, 6xx and no answer do not.
 */
export function isUp(report: ProbeReport): boolean {
  const last = finalAttempt(report);
  if (last === undefined || last.outcome.kind !== 'answer') return false;
  const code = last.outcome.answer.status;
  return code < 500 && code !== 408;
}
