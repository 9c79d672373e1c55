import type { AddressInfo } from 'node:net';
import { startConsole } from '../adapters/console/start-console.js';
import { startSlack } from '../adapters/slack/start-slack.js';
import { startDiscord } from '../adapters/discord/start-discord.js';
import { createAlerts } from '../alerts/create-alerts.js';
import { examplesQuery } from '../calls/examples-query.js';
import { keptCalls } from '../calls/kept-calls.js';
import { callsRoute } from '../calls/calls-route.js';
import { SiptriageError } from '../errors/errors.js';
import { loadProbeFiles, loadWatches } from '../probes/probe-files.js';
import { createProbeService, type ProbeService } from '../probes/probe-service.js';
import { createWatching, type Watching } from '../probes/start-watching.js';
import { RegistrationWatch } from '../probes/registration-watch.js';
import { StateAlerts } from '../alerts/state-alerts.js';
import { WATCH_LIMITS, type WatchLimits } from '../core/probe/watch-request.js';
import type { ChatPoster } from '../core/chat-port.js';
import { createEngine, type Engine } from '../core/engine.js';
import { DigestService } from '../digest/digest-service.js';
import { startIngest } from '../ingest/start-ingest.js';
import { startMcp } from '../mcp/start-mcp.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import type { Store } from '../ports/store.js';
import { openStore } from '../store/open-store.js';
import type { Config } from './config.js';
import { HttpServer } from './http-server.js';
import { sendJson } from '../ports/http-route.js';
import type { Logger } from '../ports/logger.js';
import { createMetrics, type PrometheusMetrics } from './metrics.js';
import { metricsRoute } from './metrics-route.js';
import { startRetention } from './retention.js';
import { startCallsRetention } from '../calls/calls-retention.js';
import type { AlertsPort, RunningSurface, SurfaceContext, SurfaceStarter, Terminal } from '../ports/surface.js';
import { autoWorkers, createTriageRunner } from './triage-pool.js';

/** Every surface siptriage can run; each decides from the config whether it starts. */
const SURFACES: readonly SurfaceStarter<Config>[] = [startConsole, startSlack, startDiscord, startIngest];

/** Time for the alert windows; tests run a spike and its end without waiting minutes. */
export interface ServiceClock {
  readonly now?: () => number;
  /** Scheduled probes: how often due targets are looked for, and the shortest interval a watch may have. */
  readonly probeTickMs?: number;
  readonly probeMinIntervalMs?: number;
  /** The gap between two alert messages in one channel (Slack's 1 s by default). */
  readonly pacerIntervalMs?: number;
}

export interface Service {
  readonly engine: Engine;
  /** Spike alerts, for tests that evaluate a round at once instead of waiting for the timer. */
  readonly alerts: { evaluate(): Promise<void>; settled(): Promise<void> } & AlertsPort;
  /** Scheduled probes; undefined when the store keeps no watches. */
  readonly watching: Watching | undefined;
  /** Registrations from live traffic, for tests that judge a round at once. */
  readonly registrations: RegistrationWatch;
  readonly address: AddressInfo;
  /** The chat surfaces that can post on their own (digests, alerts), one per running platform. */
  readonly posters: readonly ChatPoster[];
  /** The counters /metrics serves (readable after stop, for embedding and tests). */
  readonly metrics: PrometheusMetrics;
  /** Other ports surfaces listen on ("hep"), as bound. */
  readonly ports: Readonly<Record<string, number>>;
  /** Settles when a surface that owns the process (the console) ends. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires one running siptriage: knowledge, engine, the HTTP server, and whichever surfaces the config
 * enables. Start-up fails fast (invalid knowledge, port in use); a surface that cannot connect logs one
 * line and the rest keeps running.
 */
export async function startService(config: Config, log: Logger, terminal: Terminal, clock: ServiceClock = {}): Promise<Service> {
  const started = performance.now();
  const kb = loadKnowledge();
  log.info({ codes: kb.data.codes.length, ms: Math.round(performance.now() - started) }, 'knowledge loaded');
  const engine = createEngine(kb, { maxTraceBytes: config.maxTraceBytes, maxCaptureBytes: config.maxCaptureBytes, redact: config.redact, legs: config.calls });

  const metrics = createMetrics({ topPeers: config.metrics.topPeers });
  // Opened (and migrated) before anything can record into it; a store that cannot open ends start-up.
  const store = await openStore(config.store, { onIdleError: (err) => log.warn({ err }, 'a PostgreSQL connection failed while idle; the pool replaces it') });
  log.info({ store: store.kind, ...(config.store.kind === 'sqlite' ? { path: config.store.path } : { schema: config.store.schema }) }, 'store open');
  try {
    return await startWithStore(config, log, terminal, { kb, engine, metrics, store }, clock);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

async function startWithStore(
  config: Config,
  log: Logger,
  terminal: Terminal,
  { kb, engine, metrics, store }: { kb: KnowledgeBase; engine: Engine; metrics: PrometheusMetrics; store: Store },
  clock: ServiceClock,
): Promise<Service> {
  // Kept calls (CALLS_KEEP): searched from chat and opened from alerts' Example calls.
  const calls = config.calls.keep && store.calls !== undefined ? keptCalls(store.calls, config.calls.keepDays) : undefined;
  const alerts = createAlerts({
    config: config.alerts,
    kb,
    log,
    metrics,
    store,
    ...(clock.now === undefined ? {} : { now: clock.now }),
    ...(calls === undefined ? {} : { examplesQuery: examplesQuery }),
  });
  // Stats and digests read the store's hourly roll-ups; the digest posts through the chat surfaces' posters.
  const digest = new DigestService({ store, kb, config: config.digest, log: log.child({ module: 'digest' }), metrics, examples: calls !== undefined });

  const http = new HttpServer(log);
  const surfaces: string[] = [];
  http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok', surfaces, codes: kb.data.codes.length }));
  if (config.metrics.enabled) http.route('GET', '/metrics', metricsRoute(metrics, config.metrics.token));
  // Kept calls for links from Grafana, the digest and alerts: the same bearer as /metrics.
  if (calls !== undefined) http.route('GET', '/calls/*', callsRoute({ calls, engine, token: config.metrics.token }));
  const address = await http.listen(config.port, config.host);
  log.info({ port: address.port, host: address.address }, 'http listening');

  const chat = config.slack !== undefined || config.discord !== undefined;
  if (!chat) log.info('no Slack or Discord credentials configured: chat adapters are off');
  // One pool of triage threads for Slack and Discord alike (two pools would each take CPUs - 1 threads);
  // without a chat surface nothing acknowledges within a deadline, so no threads are started.
  const workers = config.triageWorkers === 'auto' ? autoWorkers() : config.triageWorkers;
  const triage = createTriageRunner(engine, chat ? workers : 0, log, { workerMemoryMb: config.triageWorkerMemoryMb, captureJobs: config.captureJobs });
  const limits: WatchLimits = { ...WATCH_LIMITS, timeoutMs: config.probes.probe.timeoutMs, ...(clock.probeMinIntervalMs === undefined ? {} : { minIntervalMs: clock.probeMinIntervalMs }) };
  const watching = watchingFor(config, store, log, metrics, limits, clock);
  const probes = probeService(config, engine, log, watching);
  // REGISTERs in live traffic: outcomes counted, bindings kept, a mass de-registration alerted.
  const registerAlerts = new StateAlerts({ config: config.alerts, settings: store, log: log.child({ module: 'registrations' }), metrics, ...(clock.pacerIntervalMs === undefined ? {} : { pacerIntervalMs: clock.pacerIntervalMs }) });
  const registrations = new RegistrationWatch({ config: config.probes.registrations, alerts: registerAlerts, log: log.child({ module: 'registrations' }), metrics, ...(clock.now === undefined ? {} : { now: clock.now }) });
  const ctx: SurfaceContext<Config> = { config, log, engine, triage, http, store, terminal, metrics, alerts, stats: digest, probes, registrations, ...(calls === undefined ? {} : { calls }) };
  const running: RunningSurface[] = [];
  try {
    // MCP reads the stats service's figures, not only its cards, so it is given the service itself.
    const starters: SurfaceStarter<Config>[] = [...SURFACES, (c) =>
      startMcp({
        ...c,
        statsReader: digest,
        keptCalls: store.calls === undefined || !config.calls.keep ? undefined : { calls: store.calls, redact: config.redact, keepDays: config.calls.keepDays },
      })];
    for (const start of starters) {
      const surface = await start(ctx);
      if (surface === undefined) continue;
      running.push(surface);
      surfaces.push(surface.name);
    }
  } catch (err) {
    // Worker threads would keep the process alive after a failed start-up.
    await triage.close();
    throw err;
  }
  for (const surface of running) {
    if (surface.poster === undefined) continue;
    alerts.attachPoster(surface.poster);
    digest.attachPoster(surface.poster);
    watching?.attachPoster(surface.poster);
    registerAlerts.attachPoster(surface.poster);
  }
  registrations.start();
  alerts.start();
  await watching?.start(probes);
  // After the posters: the catch-up of a digest missed while down posts at once.
  digest.start();
  const retention = startRetention(store, config.retentionDays, log);
  const callsRetention = store.calls === undefined ? undefined : startCallsRetention(store.calls, config.calls.keepDays, log);
  for (const surface of running) surface.ready?.();
  const ports = Object.assign({}, ...running.map((s) => s.ports ?? {})) as Record<string, number>;
  const endings = running.flatMap((s) => (s.finished === undefined ? [] : [s.finished]));
  const finished: Promise<void> = endings.length === 0 ? new Promise(() => {}) : Promise.race(endings);
  // The digest first, so that a post in flight finishes while its platform is still connected; then the
  // surfaces (no new work), the HTTP server, and the store everything wrote to.
  const stops: (() => Promise<void>)[] = [
    () => digest.stop(),
    ...running.map((s) => () => s.stop()),
    // After the surfaces, which finish the answers they acknowledged on it.
    () => triage.close(),
    () => alerts.stop(),
    async () => watching?.stop(),
    async () => {
      registrations.stop();
      await registerAlerts.settled();
      registerAlerts.stop();
    },
    () => http.close(),
    () => retention.stop(),
    async () => callsRetention?.stop(),
    () => store.close(),
  ];

  let stopping: Promise<void> | undefined;
  return {
    engine,
    alerts,
    watching,
    registrations,
    address,
    posters: running.flatMap((s) => (s.poster === undefined ? [] : [s.poster])),
    metrics,
    ports,
    finished,
    stop() {
      stopping ??= (async () => {
        for (const stop of stops) {
          try {
            await stop();
          } catch (err) {
            log.warn({ err }, 'error while stopping');
          }
        }
        log.info('stopped');
      })();
      return stopping;
    },
  };
}

/** The probe service, with its CA and credentials files read now: a bad file stops start-up with one line. */
export function probeService(config: Config, engine: Engine, log: Logger, watching?: Watching): ProbeService {
  const files = loadProbeFiles(config.probes);
  if (!files.ok) throw new SiptriageError('CONFIG_INVALID', files.problem.message);
  return createProbeService({
    config: { ...config.probes.probe, ...(files.value.tlsCa === undefined ? {} : { tlsCa: files.value.tlsCa }) },
    engine,
    log,
    credentials: files.value.credentials,
    ...(watching === undefined ? {} : { watch: watching.commands }),
  });
}

/** Scheduled probes over the store's watches; PROBES and PROBES_FILE are read and checked against the allow-list now. */
function watchingFor(config: Config, store: Store, log: Logger, metrics: PrometheusMetrics, limits: WatchLimits, clock: ServiceClock): Watching | undefined {
  if (store.probes === undefined) return undefined;
  const configured = loadWatches(config.probes, config.probes.probe.policy, limits);
  if (!configured.ok) throw new SiptriageError('CONFIG_INVALID', configured.problem.message);
  return createWatching({
    store: store.probes,
    settings: store,
    alertConfig: config.alerts,
    configured: configured.value,
    limits,
    downAfter: config.probes.downAfter,
    log,
    metrics,
    ...(clock.now === undefined ? {} : { now: clock.now }),
    ...(clock.probeTickMs === undefined ? {} : { tickMs: clock.probeTickMs }),
    ...(clock.pacerIntervalMs === undefined ? {} : { pacerIntervalMs: clock.pacerIntervalMs }),
  });
}
