import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createEngine, type Engine } from '../core/engine.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import type { Config } from './config.js';
import { HttpServer, sendJson } from './http-server.js';
import type { Logger } from './logger.js';

export interface Terminal {
  readonly input: Readable;
  readonly output: Writable;
  readonly isTTY: boolean;
}

export interface Service {
  readonly engine: Engine;
  readonly address: AddressInfo;
  /** Settles when a surface that owns the process (the console) ends. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires one running siptriage: knowledge, engine, the HTTP server, and whichever surfaces the config
 * enables. Start-up fails fast (invalid knowledge, port in use); a surface that cannot connect logs one
 * line and the rest keeps running.
 */
export async function startService(config: Config, log: Logger, terminal: Terminal): Promise<Service> {
  const started = performance.now();
  const kb = loadKnowledge();
  log.info({ codes: kb.data.codes.length, ms: Math.round(performance.now() - started) }, 'knowledge loaded');
  const engine = createEngine(kb, { maxTraceBytes: config.maxTraceBytes, redact: config.redact });

  const http = new HttpServer(log);
  const surfaces: string[] = [];
  http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok', surfaces, codes: kb.data.codes.length }));
  const address = await http.listen(config.port, config.host);
  log.info({ port: address.port, host: address.address }, 'http listening');

  const stops: (() => Promise<void>)[] = [() => http.close()];
  let finished: Promise<void> = new Promise(() => {});
  const chat = config.slack !== undefined || config.discord !== undefined;
  if (!chat) log.info('no Slack or Discord credentials configured: chat adapters are off');
  if (config.console === 'on' || (config.console === 'auto' && !chat && terminal.isTTY)) {
    const adapter = new ConsoleAdapter(engine, { input: terminal.input, output: terminal.output, color: terminal.isTTY });
    surfaces.push('console');
    finished = adapter.start();
    stops.unshift(() => adapter.stop());
  }

  let stopping: Promise<void> | undefined;
  return {
    engine,
    address,
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
