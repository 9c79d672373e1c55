import { isIP } from 'node:net';
import { Cron } from 'croner';
import { z } from 'zod';
import type { DiscordConfig } from '../adapters/discord/discord-config.js';
import type { SlackConfig } from '../adapters/slack/slack-config.js';
import { parseHours, type AlertConfig } from '../alerts/alert-config.js';
import type { CallLinksConfig } from '../calls/call-links.js';
import { parseLegRules, type CallsConfig } from '../calls/calls-config.js';
import { DEFAULT_CORRELATION_HEADERS } from '../core/calls/leg-keys.js';
import type { DigestConfig } from '../digest/digest-config.js';
import type { HepConfig, IngestRouteConfig } from '../ingest/ingest-config.js';
import type { McpHttpConfig } from '../mcp/mcp-config.js';
import { parseDatabaseUrl, type StoreLocation } from '../store/store-location.js';
import { parseAllowList } from '../core/probe/probe-policy.js';
import { PROBE_DEFAULTS, type ProbeSettings } from '../probes/probe-config.js';
import { parseWatchLines } from '../probes/probe-files.js';
import { WATCH_LIMITS } from '../core/probe/watch-request.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
// 0 asks the OS for a free port (tests, several local instances).
const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z.string().trim().min(1).optional();
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
// "22-07": from 22:00 to 06:59, in ALERT_TIMEZONE. Crossing midnight is the usual case.
const hours = z.string().regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, 'expected hours like 22-07');

/**
 * Every setting siptriage reads, from process.env, once at start-up. Empty strings count as unset so that
 * a copied .env.example with blank values behaves like no value at all.
 */
export const ConfigSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  /** auto: the console adapter runs when stdin is a terminal and no chat platform is configured. */
  CONSOLE: z.enum(['auto', 'on', 'off']).default('auto'),
  MAX_TRACE_BYTES: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(2 * 1024 * 1024),
  MAX_CAPTURE_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(64 * 1024 * 1024),
  REDACT_NUMBERS: bool.default(false),
  REDACT_ADDRESSES: bool.default(false),
  /** Threads that triage pasted traces off the event loop: auto (CPUs - 1, at least 1) or a number; 0 = in-thread. */
  TRIAGE_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(64)]).default('auto'),
  /** Heap (old generation) one triage thread may use, in MiB; a job past it ends that thread, not the service. */
  TRIAGE_WORKER_MEMORY_MB: z.coerce.number().int().min(64).max(16_384).default(384),
  /** Captures downloaded or triaged at once; one more is answered "busy, try again". */
  CAPTURE_JOBS: z.coerce.number().int().min(1).max(64).default(2),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z.string().url().optional(),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_API_URL: z.string().url().optional(),
  /** Automatic triage of traces pasted in channels: needs the privileged Message Content intent. */
  DISCORD_AUTO_TRIAGE: bool.default(false),
  /** HEP collector (UDP and TCP); off unless a port is set. */
  HEP_PORT: port.optional(),
  HEP_HOST: z.string().trim().min(1).optional(),
  HEP_PASSWORD: optionalText,
  HEP_MAX_OPEN_CALLS: int(100, 1_000_000).default(10_000),
  HEP_QUEUE_PACKETS: int(100, 1_000_000).default(20_000),
  HEP_CALL_GRACE_SECONDS: z.coerce.number().min(0.1).max(120).default(2),
  HEP_TCP_MAX_CONNECTIONS: int(1, 100_000).default(512),
  HEP_TCP_IDLE_SECONDS: z.coerce.number().min(1).max(86_400).default(120),
  HEP_TCP_FRAME_SECONDS: z.coerce.number().min(0.1).max(600).default(10),
  /** POST /ingest; on when a token is set. Short tokens are guessable: 16 characters at least. */
  INGEST_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  INGEST_MAX_BYTES: int(1024, 256 * 1024 * 1024).default(1024 * 1024),
  /** POST /mcp (the MCP server over streamable HTTP); on when a token is set. 16 characters at least. */
  MCP_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  MCP_MAX_BYTES: int(1024, 256 * 1024 * 1024).default(1024 * 1024),
  METRICS: bool.default(true),
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  METRICS_TOP_PEERS: int(1, 1000).default(20),
  ALERT_WINDOW_MINUTES: int(1, 180).default(5),
  ALERT_MIN_COUNT: int(1, 1_000_000).default(10),
  ALERT_RATIO: z.coerce.number().min(1).max(1000).default(3),
  ALERT_QUIET_HOURS: hours.optional(),
  ALERT_TIMEZONE: z.string().trim().refine(validTimeZone, 'not an IANA time zone').default('UTC'),
  /** Unset: SQLite in ./data/siptriage.db. See parseDatabaseUrl for the forms accepted. */
  DATABASE_URL: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const r = parseDatabaseUrl(v);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem });
    }),
  /** Events, roll-ups and query records older than this many days are pruned (at start, then hourly). */
  RETENTION_DAYS: int(1, 36_500).default(90),
  /** Keep the messages of failing calls from live traffic (and a sample of answered ones) for search. */
  CALLS_KEEP: bool.default(true),
  CALLS_KEEP_DAYS: int(1, 365).default(7),
  CALLS_MAX_MB_PER_DAY: int(1, 1_000_000).default(512),
  /** Share of answered calls kept, 0 to 1 (failures are always kept). */
  CALLS_SAMPLE_ANSWERED: z.coerce.number().min(0).max(1).default(0.01),
  /** Where people reach this HTTP server ("https://siptriage.example.com"): alerts and the digest link kept calls there. */
  PUBLIC_URL: z
    .string()
    .trim()
    .url()
    .refine((v) => /^https?:\/\//i.test(v), 'expected an http:// or https:// URL')
    .refine((v) => !/[?#]/.test(v), 'expected a URL without ? or #')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** Key of the signed /calls links; unset: derived from METRICS_TOKEN. 16 characters at least. */
  CALLS_LINK_SECRET: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  /** Headers whose values join the legs of a call through a B2BUA/SBC; "X-Foo-*" matches a prefix. */
  CALLS_CORRELATION_HEADERS: z
    .string()
    .transform((v) => v.split(',').map((h) => h.trim()).filter((h) => h !== ''))
    .refine((list) => list.every((h) => /^[A-Za-z0-9!%'+._~-]+\*?$/.test(h)), 'expected header names, comma-separated (X-CID,P-Charging-Vector)')
    .optional(),
  /** Call-ID rules of B2BUAs that derive the B leg's Call-ID from the A leg's: "suffix:-b2b,prefix:B2B.". */
  CALLS_LEG_RULES: z
    .string()
    .superRefine((v, ctx) => {
      const r = parseLegRules(v);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem });
    })
    .optional(),
  /** When the daily digest posts: a cron expression (5 fields, or 6 with seconds) read in DIGEST_TZ. */
  DIGEST_CRON: z.string().trim().refine(validCron, 'not a cron expression (e.g. "0 9 * * *")').default('0 9 * * *'),
  DIGEST_TZ: z.string().trim().refine(validTimeZone, 'not an IANA time zone').default('UTC'),
  /** Slack channels the digest always posts to, besides those subscribed in chat: "C0123ABCD" or "T0123ABCD:C0123ABCD". */
  DIGEST_SLACK_CHANNELS: channelList(/^(?:([TE][A-Z0-9]{6,}):)?([CGD][A-Z0-9]{6,})$/, 'expected Slack channel ids like C0123ABCD or T0123ABCD:C0123ABCD, comma-separated').optional(),
  /** Discord channels, likewise: "channel" or "guild:channel", as snowflake ids. */
  /** Probes (/sip probe, siptriage probe): where they may go, how long they wait, where they leave from. */
  PROBE_ALLOW: z.string().trim().default('*').superRefine((v, ctx) => {
    const r = parseAllowList(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem.message });
  }),
  PROBE_ALLOW_PRIVATE: bool.default(false),
  PROBE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(32).default(32),
  PROBE_DNS_SERVERS: z.string().trim().optional(),
  PROBE_LOCAL_ADDRESS: z.string().trim().refine((v) => isIP(v) !== 0, 'not an IP address').optional(),
  PROBE_LOCAL_PORT: port.default(0),
  PROBE_TLS_CA: optionalText,
  PROBE_CREDENTIALS: optionalText,
  PROBE_CREDENTIALS_FILE: optionalText,
  /** Watched targets: "sip:pbx.example.com 1m, 203.0.113.7:5060 30s --transport tcp" (PROBES_FILE: one a line). */
  PROBES: z.string().trim().superRefine((v, ctx) => {
    const r = parseWatchLines(v, 'env', WATCH_LIMITS);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem.message });
  }).optional(),
  PROBES_FILE: optionalText,
  PROBE_DOWN_AFTER: int(1, 100).default(3),
  /** Mass de-registration: active bindings falling by more than this share within REG_DROP_MINUTES. */
  REG_DROP_SHARE: z.coerce.number().gt(0).lt(1).default(0.3),
  REG_DROP_MINUTES: int(1, 120).default(5),
  DIGEST_DISCORD_CHANNELS: channelList(/^(?:(\d{17,20}):)?(\d{17,20})$/, 'expected Discord channel ids (or guild:channel), comma-separated').optional(),
});

export type Env = z.infer<typeof ConfigSchema>;

export interface Config {
  readonly logLevel: Env['LOG_LEVEL'];
  readonly port: number;
  readonly host: string;
  readonly console: Env['CONSOLE'];
  readonly maxTraceBytes: number;
  readonly maxCaptureBytes: number;
  readonly redact: { readonly numbers: boolean; readonly addresses: boolean };
  readonly triageWorkers: number | 'auto';
  readonly triageWorkerMemoryMb: number;
  readonly captureJobs: number;
  readonly slack: SlackConfig | undefined;
  readonly discord: DiscordConfig | undefined;
  readonly hep: HepConfig | undefined;
  readonly ingest: IngestRouteConfig | undefined;
  readonly mcp: McpHttpConfig | undefined;
  readonly metrics: { readonly enabled: boolean; readonly token?: string; readonly topPeers: number };
  readonly alerts: AlertConfig;
  readonly store: StoreLocation;
  readonly retentionDays: number;
  readonly digest: DigestConfig;
  readonly calls: CallsConfig;
  readonly callLinks: CallLinksConfig;
  readonly probes: ProbeSettings;
}

export type ConfigResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly error: string };

/** Parses the environment. A bad value yields one line naming the variable and what is wrong with it. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    const got = cleaned[name];
    return { ok: false, error: `Invalid ${name}: ${issue?.message ?? 'invalid value'}${got === undefined ? '' : ` (got "${mask(name, got)}")`}` };
  }
  const e = parsed.data;
  if ((e.SLACK_BOT_TOKEN === undefined) !== (e.SLACK_SIGNING_SECRET === undefined) && e.SLACK_APP_TOKEN === undefined) {
    return { ok: false, error: 'Invalid SLACK_SIGNING_SECRET: Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)' };
  }
  if (e.SLACK_APP_TOKEN !== undefined && e.SLACK_BOT_TOKEN === undefined) {
    return { ok: false, error: 'Invalid SLACK_BOT_TOKEN: Socket Mode (SLACK_APP_TOKEN) needs the bot token too' };
  }
  const config: Config = {
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    console: e.CONSOLE,
    maxTraceBytes: e.MAX_TRACE_BYTES,
    maxCaptureBytes: e.MAX_CAPTURE_BYTES,
    redact: { numbers: e.REDACT_NUMBERS, addresses: e.REDACT_ADDRESSES },
    triageWorkers: e.TRIAGE_WORKERS,
    triageWorkerMemoryMb: e.TRIAGE_WORKER_MEMORY_MB,
    captureJobs: e.CAPTURE_JOBS,
    slack:
      e.SLACK_BOT_TOKEN === undefined
        ? undefined
        : {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET ?? '',
            ...(e.SLACK_APP_TOKEN === undefined ? {} : { appToken: e.SLACK_APP_TOKEN }),
            ...(e.SLACK_API_URL === undefined ? {} : { apiUrl: e.SLACK_API_URL }),
          },
    discord:
      e.DISCORD_TOKEN === undefined
        ? undefined
        : {
            token: e.DISCORD_TOKEN,
            ...(e.DISCORD_APPLICATION_ID === undefined ? {} : { applicationId: e.DISCORD_APPLICATION_ID }),
            ...(e.DISCORD_API_URL === undefined ? {} : { apiUrl: e.DISCORD_API_URL }),
            autoTriage: e.DISCORD_AUTO_TRIAGE,
          },
    hep:
      e.HEP_PORT === undefined
        ? undefined
        : {
            port: e.HEP_PORT,
            host: e.HEP_HOST ?? e.HOST,
            ...(e.HEP_PASSWORD === undefined ? {} : { password: e.HEP_PASSWORD }),
            maxOpenCalls: e.HEP_MAX_OPEN_CALLS,
            queuePackets: e.HEP_QUEUE_PACKETS,
            graceMs: Math.round(e.HEP_CALL_GRACE_SECONDS * 1000),
            tcp: { maxConnections: e.HEP_TCP_MAX_CONNECTIONS, idleMs: Math.round(e.HEP_TCP_IDLE_SECONDS * 1000), frameMs: Math.round(e.HEP_TCP_FRAME_SECONDS * 1000) },
          },
    ingest: e.INGEST_TOKEN === undefined ? undefined : { token: e.INGEST_TOKEN, maxBytes: e.INGEST_MAX_BYTES },
    mcp: e.MCP_TOKEN === undefined ? undefined : { token: e.MCP_TOKEN, maxBytes: e.MCP_MAX_BYTES },
    metrics: { enabled: e.METRICS, topPeers: e.METRICS_TOP_PEERS, ...(e.METRICS_TOKEN === undefined ? {} : { token: e.METRICS_TOKEN }) },
    alerts: {
      windowMs: e.ALERT_WINDOW_MINUTES * 60_000,
      minCount: e.ALERT_MIN_COUNT,
      ratio: e.ALERT_RATIO,
      ...(e.ALERT_QUIET_HOURS === undefined ? {} : { quietHours: parseHours(e.ALERT_QUIET_HOURS) }),
      timeZone: e.ALERT_TIMEZONE,
    },
    store: storeLocation(e.DATABASE_URL),
    retentionDays: e.RETENTION_DAYS,
    calls: {
      keep: e.CALLS_KEEP,
      keepDays: e.CALLS_KEEP_DAYS,
      maxBytesPerDay: e.CALLS_MAX_MB_PER_DAY * 1024 * 1024,
      sampleAnswered: e.CALLS_SAMPLE_ANSWERED,
      correlationHeaders: e.CALLS_CORRELATION_HEADERS ?? [...DEFAULT_CORRELATION_HEADERS],
      legRules: e.CALLS_LEG_RULES === undefined ? [] : legRules(e.CALLS_LEG_RULES),
    },
    callLinks: {
      ...(e.PUBLIC_URL === undefined ? {} : { publicUrl: e.PUBLIC_URL }),
      ...(e.CALLS_LINK_SECRET === undefined ? {} : { secret: e.CALLS_LINK_SECRET }),
    },
    digest: {
      cron: e.DIGEST_CRON,
      timeZone: e.DIGEST_TZ,
      channels: [...(e.DIGEST_SLACK_CHANNELS ?? []).map((c) => ({ platform: 'slack' as const, ...c })), ...(e.DIGEST_DISCORD_CHANNELS ?? []).map((c) => ({ platform: 'discord' as const, ...c }))],
    },
    probes: {
      probe: {
        ...PROBE_DEFAULTS,
        policy: { allow: (parseAllowList(e.PROBE_ALLOW) as { ok: true; value: readonly string[] }).value, allowPrivate: e.PROBE_ALLOW_PRIVATE },
        timeoutMs: Math.round(e.PROBE_TIMEOUT_SECONDS * 1000),
        dnsServers: (e.PROBE_DNS_SERVERS ?? '').split(',').map((v) => v.trim()).filter((v) => v !== ''),
        ...(e.PROBE_LOCAL_ADDRESS === undefined ? {} : { localAddress: e.PROBE_LOCAL_ADDRESS }),
        localPort: e.PROBE_LOCAL_PORT,
      },
      ...(e.PROBE_TLS_CA === undefined ? {} : { tlsCaFile: e.PROBE_TLS_CA }),
      ...(e.PROBE_CREDENTIALS === undefined ? {} : { credentials: e.PROBE_CREDENTIALS }),
      ...(e.PROBE_CREDENTIALS_FILE === undefined ? {} : { credentialsFile: e.PROBE_CREDENTIALS_FILE }),
      ...(e.PROBES === undefined ? {} : { watches: e.PROBES }),
      ...(e.PROBES_FILE === undefined ? {} : { watchesFile: e.PROBES_FILE }),
      downAfter: e.PROBE_DOWN_AFTER,
      registrations: { dropShare: e.REG_DROP_SHARE, dropWindowMs: e.REG_DROP_MINUTES * 60_000 },
    },
  };
  return { ok: true, config: deepFreeze(config) };
}

// Already checked by the schema; a failure here would be a bug, not a bad value.
function storeLocation(url: string | undefined): StoreLocation {
  const r = parseDatabaseUrl(url);
  if (!r.ok) throw new Error(r.problem);
  return r.location;
}

// Already checked by the schema.
function legRules(text: string): CallsConfig['legRules'] {
  const r = parseLegRules(text);
  return r.ok ? r.rules : [];
}

// A comma list of channel ids, each optionally prefixed by its workspace (Slack team, Discord guild) and a colon.
function channelList(pattern: RegExp, message: string) {
  return z
    .string()
    .transform((v) => v.split(',').map((c) => c.trim()).filter((c) => c !== ''))
    .refine((list) => list.every((c) => pattern.test(c)), message)
    .transform((list) => list.map((c) => {
      const m = pattern.exec(c);
      return { workspace: m?.[1] ?? '', channel: m?.[2] ?? c };
    }));
}

function validCron(expression: string): boolean {
  try {
    new Cron(expression, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// Secrets are never echoed, even in an error about their own format.
function mask(name: string, value: string): string {
  return /TOKEN|SECRET|PASSWORD|URL|CREDENTIALS/.test(name) ? '…' : value.slice(0, 40);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
