import type { RunningSurface, SurfaceContext } from '../ports/surface.js';
import type { KeptCallsReader } from './calls-tools.js';
import type { McpSurfaceConfig } from './mcp-config.js';
import { mcpRoute } from './mcp-route.js';
import type { StatsReader } from './stats-tool.js';

/** The package version an MCP client sees in the server's info. */
export const MCP_SERVER_VERSION = '0.1.0';

/** The surface context, with the stats service as the MCP stats tool reads it (figures, not only the card). */
export interface McpContext extends SurfaceContext<McpSurfaceConfig> {
  readonly statsReader: StatsReader | undefined;
  readonly keptCalls: KeptCallsReader | undefined;
}

/** POST /mcp on the service's HTTP server when MCP_TOKEN is set; off otherwise. */
export async function startMcp(ctx: McpContext): Promise<RunningSurface | undefined> {
  const config = ctx.config.mcp;
  if (config === undefined) return undefined;
  const stats = ctx.statsReader;
  ctx.http.route('POST', '/mcp', mcpRoute(config, { engine: ctx.engine, stats: () => Promise.resolve(stats), calls: () => Promise.resolve(ctx.keptCalls), ...(ctx.probes === undefined ? {} : { probes: ctx.probes }), version: MCP_SERVER_VERSION }, ctx.log.child({ module: 'mcp' })));
  ctx.log.info({ maxBytes: config.maxBytes }, 'POST /mcp enabled');
  return { name: 'mcp', stop: () => Promise.resolve() };
}
