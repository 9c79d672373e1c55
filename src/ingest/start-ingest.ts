import type { SurfaceStarter } from '../ports/surface.js';
import type { IngestSurfaceConfig } from './ingest-config.js';
import { EventRecorder } from './event-recorder.js';
import { HepCollector } from './hep-collector.js';
import { listenHep, type HepSockets } from './hep-sockets.js';
import { ingestRoute } from './ingest-route.js';
import { CallKeeper } from '../calls/call-keeper.js';

/**
 * Live ingest: the HEP collector (HEP_PORT, UDP and TCP) and POST /ingest (INGEST_TOKEN). Either, both or
 * neither run, from the config. Events go to the counters, spike alerts and, once configured, the store.
 */
export const startIngest: SurfaceStarter<IngestSurfaceConfig> = async (ctx) => {
  const { config, metrics } = ctx;
  if ((config.hep === undefined && config.ingest === undefined) || metrics === undefined) return undefined;
  const log = ctx.log.child({ module: 'ingest' });
  if (ctx.store === undefined) log.info('no store configured: live events are counted in metrics and alerts, not stored');
  const recorder = new EventRecorder({ store: ctx.store, metrics, log, observers: ctx.alerts === undefined ? [] : [ctx.alerts] });
  // The evidence behind the counts: failing calls' messages, kept for /sip calls and alerts' examples.
  const keeper = config.calls?.keep === true && ctx.store?.calls !== undefined ? new CallKeeper({ store: ctx.store.calls, config: config.calls, metrics, log: log.child({ module: 'calls' }) }) : undefined;
  if (keeper === undefined) log.info('kept calls are off (CALLS_KEEP=off, or no store): failing calls are counted, their messages not kept');
  else {
    await keeper.readKeptToday();
    metrics.gauge('siptriage_calls_kept_bytes', 'Bytes of SIP messages kept on the current UTC day (capped by CALLS_MAX_MB_PER_DAY)', () => keeper.keptToday);
    metrics.gauge('siptriage_calls_kept_cap_bytes', 'CALLS_MAX_MB_PER_DAY in bytes: calls beyond it on a day are not kept', () => config.calls?.maxBytesPerDay ?? 0);
    metrics.gauge('siptriage_calls_pending', 'Judged calls waiting to be written to the store', () => keeper.pending);
  }

  let collector: HepCollector | undefined;
  let sockets: HepSockets | undefined;
  if (config.hep !== undefined) {
    const hep = config.hep;
    collector = new HepCollector({
      kb: ctx.engine.kb,
      metrics,
      log,
      ...(hep.password === undefined ? {} : { password: hep.password }),
      maxOpenCalls: hep.maxOpenCalls,
      queuePackets: hep.queuePackets,
      timers: { graceMs: hep.graceMs },
      onEvents: (events) => recorder.record(events, 'hep'),
      ...(ctx.registrations === undefined ? {} : { onRegister: (messages: Parameters<NonNullable<typeof ctx.registrations>['observe']>[0]) => ctx.registrations?.observe(messages) }),
      onQuality: (update) => recorder.recordQuality(update),
      ...(keeper === undefined ? {} : { onCall: (callId: string, messages: Parameters<CallKeeper['offer']>[1], events: Parameters<CallKeeper['offer']>[2]) => keeper.offer(callId, messages, events, 'hep') }),
    });
    try {
      sockets = await listenHep(collector, hep.port, hep.host, log, metrics, hep.tcp);
    } catch (err) {
      log.error({ err, port: hep.port }, `HEP collector cannot listen on port ${hep.port}: it is off`);
      collector = undefined;
    }
    if (sockets !== undefined) {
      collector?.start();
      log.info({ port: sockets.udp.port, host: hep.host, captureAuth: hep.password !== undefined }, 'HEP collector listening (UDP and TCP)');
    }
  }
  if (config.ingest !== undefined) {
    ctx.http.route('POST', '/ingest', ingestRoute({ token: config.ingest.token, maxBytes: config.ingest.maxBytes, engine: ctx.engine, recorder, metrics, log, retentionDays: config.retentionDays, ...(keeper === undefined ? {} : { keeper }) }));
    log.info({ maxBytes: config.ingest.maxBytes }, 'POST /ingest enabled');
  }
  if (collector === undefined && config.ingest === undefined) return undefined;
  return {
    name: 'ingest',
    ...(sockets === undefined ? {} : { ports: { hep: sockets.udp.port } }),
    async stop() {
      await sockets?.close();
      collector?.stop();
      await recorder.flush();
      await keeper?.flush();
    },
  };
};
