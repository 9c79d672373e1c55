import type { ProbePolicy } from '../core/probe/probe-policy.js';

// The settings probes run with, declared by the feature that reads them; app maps PROBE_* onto this shape.

export interface ProbeConfig {
  readonly policy: ProbePolicy;
  /** How long one transaction may wait (Timer F, 32 s, unless PROBE_TIMEOUT_SECONDS is shorter). */
  readonly timeoutMs: number;
  /** DNS servers for RFC 3263 resolution ("127.0.0.1:5353", "[::1]:53"); empty = the system's. */
  readonly dnsServers: readonly string[];
  /** How long one DNS query may take before it counts as failed. */
  readonly dnsTimeoutMs: number;
  /** The address (and port, 0 = any) probes leave from, when the host has several. */
  readonly localAddress?: string;
  readonly localPort: number;
  /** PEM text of the CA(s) TLS probes verify against instead of the system store. */
  readonly tlsCa?: string;
  /** An answer larger than this (over TCP/TLS) is cut off and reported as junk. */
  readonly maxAnswerBytes: number;
  /** Targets tried per probe when DNS gives many (RFC 3263 failover), so one probe stays bounded. */
  readonly maxTargets: number;
}

export const PROBE_DEFAULTS = {
  timeoutMs: 32_000,
  dnsServers: [],
  dnsTimeoutMs: 2_000,
  localPort: 0,
  maxAnswerBytes: 65_536,
  maxTargets: 4,
} as const satisfies Partial<ProbeConfig>;

export const PROBE_USER_AGENT = 'siptriage-probe';

/** What app reads from the environment: the probe settings, and the files (CA, credentials) read at start. */
export interface ProbeSettings {
  readonly probe: Omit<ProbeConfig, 'tlsCa'>;
  readonly tlsCaFile?: string;
  /** PROBE_CREDENTIALS as given: a secret, never logged. */
  readonly credentials?: string;
  readonly credentialsFile?: string;
  /** PROBES as given (comma-separated lines) and PROBES_FILE (one a line): the configured watches. */
  readonly watches?: string;
  readonly watchesFile?: string;
  /** Failed probes in a row before a watched target is down (PROBE_DOWN_AFTER). */
  readonly downAfter: number;
  readonly registrations: RegistrationConfig;
}

/** Registrations seen in live ingest: when a fall in active bindings is a mass de-registration. */
export interface RegistrationConfig {
  /** REG_DROP_SHARE: the share of active bindings that must go (0.3 = 30 %). */
  readonly dropShare: number;
  /** REG_DROP_MINUTES, in ms: the window the fall is measured over. */
  readonly dropWindowMs: number;
}
