import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Engine } from '../core/engine.js';
import type { ProbePort } from '../ports/surface.js';
import { registerCallsTools, type KeptCallsReader } from './calls-tools.js';
import { registerKnowledge } from './knowledge-tools.js';
import { registerProbeTool } from './probe-tool.js';
import { registerStatsTool, type StatsReader } from './stats-tool.js';
import { registerTraceTools } from './trace-tools.js';

export interface McpDeps {
  readonly engine: Engine;
  /** The stats service, opened when first asked (stdio need not open a store to explain a code). */
  readonly stats: () => Promise<StatsReader | undefined>;
  /** Kept calls, opened when first asked; undefined when calls are not kept. */
  readonly calls?: () => Promise<KeptCallsReader | undefined>;
  /** Probes, limited to the targets the config allows; undefined where probes are off. */
  readonly probes?: ProbePort;
  readonly version: string;
  /** The clock searches count back from (tests pin it). */
  readonly now?: () => number;
}

/**
 * The siptriage MCP server: read-only tools that are thin calls into the same engine and store the chat
 * surfaces use. One is made per stdio process, and one per HTTP request (the HTTP endpoint is stateless).
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: 'siptriage', version: deps.version },
    {
      instructions:
        'siptriage explains SIP response codes and Q.850 causes, and triages SIP traces and pcap captures. Cite the code cards (siptriage://codes/NNN) and the RFC sections they give.',
    },
  );
  registerKnowledge(server, deps.engine);
  registerTraceTools(server, deps.engine);
  registerStatsTool(server, deps.stats);
  registerCallsTools(server, deps.engine, deps.calls ?? (() => Promise.resolve(undefined)), deps.now);
  registerProbeTool(server, deps.probes);
  return server;
}
