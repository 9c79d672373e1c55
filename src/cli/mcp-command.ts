import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { probeService } from '../app/start.js';
import { DigestService } from '../digest/digest-service.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import type { KeptCallsReader } from '../mcp/calls-tools.js';
import { createMcpServer } from '../mcp/mcp-server.js';
import { MCP_SERVER_VERSION } from '../mcp/start-mcp.js';
import type { StatsReader } from '../mcp/stats-tool.js';
import type { Store } from '../ports/store.js';
import { openStore } from '../store/open-store.js';
import { engineFor } from './cli-engine.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

/**
 * siptriage mcp: the MCP server on stdin/stdout, for an assistant that starts it as a child process. stdout
 * carries only the protocol, so logs go to stderr; the store opens on the first stats call, not before.
 */
export async function runMcp(io: CliIo): Promise<number> {
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.stderr.write(`siptriage: ${loaded.error}\n`);
    return EXIT.failure;
  }
  const config = loaded.config;
  const log = createLogger({ level: io.env.LOG_LEVEL === undefined ? 'warn' : config.logLevel, pretty: false, fd: 2 });
  const kb = defaultKnowledge();
  const engine = engineFor(config);
  let store: Promise<Store> | undefined;
  let reader: StatsReader | undefined;
  const stats = async (): Promise<StatsReader> => {
    store ??= openStore(config.store);
    reader ??= new DigestService({ store: await store, kb, config: config.digest, log: log.child({ module: 'digest' }) });
    return reader;
  };
  const calls = async (): Promise<KeptCallsReader | undefined> => {
    if (!config.calls.keep) return undefined;
    store ??= openStore(config.store);
    const opened = (await store).calls;
    return opened === undefined ? undefined : { calls: opened, redact: config.redact, keepDays: config.calls.keepDays };
  };
  const probes = probeService(config, engine, log);
  const server = createMcpServer({ engine, stats, calls, probes, version: MCP_SERVER_VERSION });
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    io.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  log.info('MCP server on stdio');
  await closed;
  await server.close().catch(() => undefined);
  if (store !== undefined) await (await store).close();
  log.flush();
  return EXIT.ok;
}
