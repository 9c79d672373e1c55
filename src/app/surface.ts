import type { Engine } from '../core/engine.js';
import type { ChatPoster } from '../core/chat-port.js';
import type { Store } from '../store/store.js';
import type { Config } from './config.js';
import type { HttpServer } from './http-server.js';
import type { Logger } from './logger.js';
import type { Terminal } from './start.js';

/** What every surface gets when the service starts it. */
export interface SurfaceContext {
  readonly config: Config;
  readonly log: Logger;
  readonly engine: Engine;
  readonly http: HttpServer;
  /** Undefined until a store is configured (the store issue wires it in). */
  readonly store: Store | undefined;
  readonly terminal: Terminal;
}

export interface RunningSurface {
  readonly name: string;
  /** Chat surfaces that can post on their own (digests, alerts) expose their poster. */
  readonly poster?: ChatPoster;
  /** Settles when the surface ends the service by itself (the console at end of input). */
  readonly finished?: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a surface, or returns undefined when its configuration is absent. A surface that is configured
 * but cannot connect logs one line and returns undefined: the others keep running.
 */
export type SurfaceStarter = (ctx: SurfaceContext) => Promise<RunningSurface | undefined>;
