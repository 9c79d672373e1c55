// The counters interface lives here, below every feature, so ingest, alerts, the digest and adapters can bump
// counters without importing the composition root that implements it with prom-client.

/** Why a HEP packet (or an /ingest body) was not counted. Listed at run time so /metrics shows each at 0. */
export const DROP_REASONS = [
  'truncated',
  'malformed',
  'no-payload',
  'auth',
  'not-sip',
  'sip-parse',
  'compressed',
  'overload',
  'call-evicted',
  'late',
  'call-full',
  'store',
  'too-large',
  'unauthorized',
  // Kept calls (src/calls/): a day at CALLS_MAX_MB_PER_DAY, the keeper's queue full, the store failing.
  'calls-cap',
  'calls-queue',
  'calls-store',
  // Live media quality (HEP type 5 RTCP, RFC 6035 PUBLISH): unreadable, or not tied to a call.
  'rtcp-unreadable',
  'rtcp-no-call',
  'vq-unreadable',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Why siptriage closed a HEP TCP connection. Listed at run time so /metrics shows each at 0. */
export const HEP_TCP_CLOSE_REASONS = ['idle', 'incomplete-frame', 'evicted', 'garbage'] as const;
export type HepTcpCloseReason = (typeof HEP_TCP_CLOSE_REASONS)[number];

/** A REGISTER's outcome: a binding made or refreshed, removed (Expires 0), or refused. */
export const REGISTER_OUTCOMES = ['registered', 'unregistered', 'failed'] as const;
export type RegisterOutcome = (typeof REGISTER_OUTCOMES)[number];

/** What a call event contributes to the counters (a subset of CallEvent). */
export interface CountedCall {
  readonly kind: string;
  readonly code: number;
  readonly method: string;
  readonly peer: string | null;
}

/** The chat surfaces whose commands are counted, each with a series from the start. */
export const CHAT_SURFACES = ['slack', 'discord', 'console'] as const;
/** The commonest command kinds: a code card and a triage. Other kinds get their series when first served. */
export const CHAT_COMMAND_KINDS = ['code', 'triage'] as const;

/**
 * The counters every part of siptriage may bump, behind a small API so that only src/app/metrics.ts knows
 * prom-client. Adapters call chatCommand(); the digest calls digestRun(); ingest the rest.
 */
export interface Metrics {
  sipResponse(code: number, method: string, peer: string | null): void;
  call(event: CountedCall): void;
  /** Calls recorded without findings because ingest was shedding load. */
  callsWithoutFindings(n: number): void;
  hepReceived(transport: 'udp' | 'tcp'): void;
  /** A HEP TCP connection siptriage closed, and why (an agent's own close is not counted). */
  hepTcpClosed(reason: HepTcpCloseReason): void;
  dropped(reason: DropReason, n?: number): void;
  chatCommand(surface: string, kind: string): void;
  digestRun(result: 'posted' | 'skipped' | 'failed'): void;
  alertPosted(action: 'posted' | 'updated' | 'resolved' | 'suppressed' | 'failed'): void;
  /** A scheduled probe's result (src/probes/): up or not, the code a client would report, the round trip. */
  probeResult(target: string, up: boolean, code: number | null, rttSeconds: number | null): void;
  /** A target nobody watches any more: its series go. */
  probeForget(target: string): void;
  /** A REGISTER seen in live traffic, by outcome, the registrar that answered and the AOR's domain. */
  registration(outcome: RegisterOutcome, registrar: string, domain: string): void;
  /** A gauge read at scrape time (queue depth, open calls). */
  gauge(name: string, help: string, read: () => number): void;
}
