import type { KeptCallQuery, KeptCallSummary } from './call-store.js';
import type { Readable, Writable } from 'node:stream';
import type { Card } from '../core/card/card.js';
import type { ChatPoster, ChannelRef, OutgoingMessage } from '../core/chat-port.js';
import type { Engine } from '../core/engine.js';
import type { AlertsCommand } from '../core/query/alerts-query.js';
import type { StatsQuery } from '../core/query/stats-query.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { SipMessage } from '../core/sip/message.js';
import type { HttpRoutes } from './http-route.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Store } from './store.js';
import type { TriageRunner } from './triage-runner.js';

// The contract between the service (app/start.ts) and every surface it starts. It sits below the features
// so that adapters and ingest can implement SurfaceStarter without importing the code that calls them.

/** The process's terminal: the console surface reads and writes it. */
export interface Terminal {
  readonly input: Readable;
  readonly output: Writable;
  readonly isTTY: boolean;
}

/** What spike alerts answer `/sip alerts …` with (AlertService). */
export interface AlertsPort {
  /** `by` names who asked (a display name), for what the alert shows: "Acknowledged by alice". */
  command(where: ChannelRef | { readonly console: (m: OutgoingMessage) => void }, cmd: AlertsCommand, by?: string): Promise<Card>;
}

/** What `/sip probe <target>` is answered with: the probe's card (and the answer code's card), or one sentence for bad input. */
export interface ProbePort {
  /**
   * `where` is the chat channel it was typed in (undefined: the console or the command line), which
   * `/sip probe watch|unwatch|list` apply to; `changed` says what a watch did, as alerts' commands do.
   */
  answer(text: string, where?: ChannelRef): Promise<{ readonly cards: readonly Card[]; readonly isError: boolean; readonly changed?: string }>;
}

/** Registrations from live traffic: the messages of each Call-ID that held a REGISTER (HEP only). */
export interface RegistrationsPort {
  observe(messages: readonly SipMessage[]): void;
}

/** Spike alerts as a running surface sees them: commands from chat, and live call events from ingest. */
export interface LiveAlerts extends AlertsPort {
  observe(event: CallEvent): void;
  /** A call's audio quality from live reports, once they have stopped (the poor-audio key). */
  observeQuality?(update: ObservedQuality): void;
}

/** What alerts need of a call's quality: whose call, when, and its (worst direction's) MOS. */
export interface ObservedQuality {
  readonly peer: string | null;
  readonly time: number;
  readonly quality: { readonly mos: number };
}

/**
 * What every surface gets when the service starts it. C is the slice of the service config the surface
 * reads, declared by that surface (SlackSurfaceConfig, IngestSurfaceConfig…); the service passes its whole
 * Config, which has every slice.
 */
export interface SurfaceContext<C = unknown> {
  readonly config: C;
  readonly log: Logger;
  readonly engine: Engine;
  /**
   * Triage, share bundles and ladder PNGs off the event loop, one pool for every chat surface: the thread
   * that acknowledges Slack and Discord within their 3 s must not spend a second on a large trace.
   */
  readonly triage: TriageRunner;
  readonly http: HttpRoutes;
  /** The service always opens one (SQLite by default); undefined only where a surface is started on its own (tests). */
  readonly store: Store | undefined;
  readonly terminal: Terminal;
  /** Counters for /metrics: adapters call metrics.chatCommand() for each command served. */
  readonly metrics?: Metrics;
  /** Spike alerts: live ingest feeds it; chat surfaces answer `/sip alerts …` with alerts.command(). */
  readonly alerts?: LiveAlerts;
  /** Error statistics and digests over the store: chat surfaces answer `/sip stats` and `/sip digest now` with it. */
  readonly stats?: StatsPort;
  /** Probes of SIP servers: chat surfaces answer `/sip probe <target>` with it. */
  readonly probes?: ProbePort;
  /** REGISTER outcomes and active bindings: live ingest feeds it. */
  readonly registrations?: RegistrationsPort;
  /** Kept calls (CALLS_KEEP): chat surfaces answer `/sip calls …` and alerts' Example calls with it. */
  readonly calls?: CallsPort;
}

/** Kept calls as surfaces search and open them. */
export interface CallsPort {
  /** Matching calls, newest first. */
  find(query: KeptCallQuery): Promise<KeptCallSummary[]>;
  /**
   * One call with its other legs, as trace text the readers take back with capture times and addresses
   * (answered like a pasted trace); undefined when no call with that Call-ID is kept.
   */
  open(callId: string): Promise<{ readonly text: string; readonly callIds: readonly string[] } | undefined>;
  /** How long calls are kept, for the sentence when none match. */
  readonly keepDays: number;
}

/** What a surface asks of the stats and digest service; undefined in the context when there is no store. */
export interface StatsPort {
  statsCard(query: StatsQuery, now?: number): Promise<Card>;
  /** The digest of the last 24 hours as it would post (cards and chart), for `/sip digest now`. */
  digestPreview(now?: number): Promise<OutgoingMessage>;
}

export interface RunningSurface {
  readonly name: string;
  /** Chat surfaces that can post on their own (digests, alerts) expose their poster. */
  readonly poster?: ChatPoster;
  /** Ports it listens on besides the shared HTTP server ("hep"), as bound (useful with port 0). */
  readonly ports?: Readonly<Record<string, number>>;
  /** Settles when the surface ends the service by itself (the console at end of input). */
  readonly finished?: Promise<void>;
  /**
   * Called once every surface has started and start-up has been logged. The console shows its banner and
   * prompt only then, so the start-up lines print above the prompt instead of over it.
   */
  ready?(): void;
  stop(): Promise<void>;
}

/**
 * Starts a surface, or returns undefined when its configuration is absent. A surface that is configured
 * but cannot connect logs one line and returns undefined: the others keep running.
 */
export type SurfaceStarter<C = unknown> = (ctx: SurfaceContext<C>) => Promise<RunningSurface | undefined>;
