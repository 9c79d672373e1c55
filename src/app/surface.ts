import type { AlertService } from '../alerts/alert-service.js';
import type { Engine } from '../core/engine.js';
import type { Card } from '../core/card/card.js';
import type { ChatPoster, OutgoingMessage } from '../core/chat-port.js';
import type { StatsQuery } from '../core/query/stats-query.js';
import type { Store } from '../ports/store.js';
import type { Config } from './config.js';
import type { HttpServer } from './http-server.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Terminal } from './start.js';
import type { TriageRunner } from '../ports/triage-runner.js';

/** What every surface gets when the service starts it. */
export interface SurfaceContext {
  readonly config: Config;
  readonly log: Logger;
  readonly engine: Engine;
  /**
   * Triage, share bundles and ladder PNGs off the event loop, one pool for every chat surface: the thread
   * that acknowledges Slack and Discord within their 3 s must not spend a second on a large trace.
   */
  readonly triage: TriageRunner;
  readonly http: HttpServer;
  /** The service always opens one (SQLite by default); undefined only where a surface is started on its own (tests). */
  readonly store: Store | undefined;
  readonly terminal: Terminal;
  /** Counters for /metrics: adapters call metrics.chatCommand() for each command served. */
  readonly metrics?: Metrics;
  /** Spike alerts: live ingest feeds it; chat surfaces answer `/sip alerts …` with alerts.command(). */
  readonly alerts?: AlertService;
  /** Error statistics and digests over the store: chat surfaces answer `/sip stats` and `/sip digest now` with it. */
  readonly stats?: StatsPort;
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
  stop(): Promise<void>;
}

/**
 * Starts a surface, or returns undefined when its configuration is absent. A surface that is configured
 * but cannot connect logs one line and returns undefined: the others keep running.
 */
export type SurfaceStarter = (ctx: SurfaceContext) => Promise<RunningSurface | undefined>;
