import type { CallsConfig } from '../calls/calls-config.js';

// What live ingest reads: the HEP collector's and POST /ingest's settings, and the slice of the service
// config that the ingest surface starts from. app maps HEP_* and INGEST_* onto these.

export interface HepConfig {
  readonly port: number;
  readonly host: string;
  readonly password?: string;
  readonly maxOpenCalls: number;
  readonly queuePackets: number;
  readonly graceMs: number;
  readonly tcp: HepTcpLimits;
}

/** HEP over TCP: how many agents at once, and how long a connection may say nothing or hold half a frame. */
export interface HepTcpLimits {
  readonly maxConnections: number;
  readonly idleMs: number;
  readonly frameMs: number;
}

export const DEFAULT_HEP_TCP_LIMITS = { maxConnections: 512, idleMs: 120_000, frameMs: 10_000 } as const satisfies HepTcpLimits;

export interface IngestRouteConfig {
  readonly token: string;
  readonly maxBytes: number;
}

/** The ingest surface runs when either is set. */
export interface IngestSurfaceConfig {
  readonly hep: HepConfig | undefined;
  readonly ingest: IngestRouteConfig | undefined;
  /** Keeping the messages of failing calls (CALLS_*); absent means not kept. */
  readonly calls?: CallsConfig;
}
