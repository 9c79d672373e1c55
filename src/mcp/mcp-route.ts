import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { sendJson, type RouteHandler } from '../ports/http-route.js';
import type { Logger } from '../ports/logger.js';
import { bearerToken, sameSecret } from '../ports/secrets.js';
import type { McpHttpConfig } from './mcp-config.js';
import { createMcpServer, type McpDeps } from './mcp-server.js';

/**
 * POST /mcp: the streamable HTTP transport, stateless (no session id generator: a server and transport per
 * request, JSON answers),
 * behind a bearer token compared in constant time, with a body limit checked before anything is parsed.
 */
export function mcpRoute(config: McpHttpConfig, deps: McpDeps, log: Logger): RouteHandler {
  return async (req, res) => {
    if (!sameSecret(bearerToken(req.headers.authorization), config.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="siptriage"');
      refuse(res, 401, 'missing or wrong bearer token');
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > config.maxBytes) {
      refuse(res, 413, `the body is over the ${config.maxBytes}-byte limit (MCP_MAX_BYTES)`);
      return;
    }
    const body = await readLimited(req, config.maxBytes);
    if (body === undefined) {
      refuse(res, 413, `the body is over the ${config.maxBytes}-byte limit (MCP_MAX_BYTES)`);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      // JSON-RPC's own code for this (-32700), so an MCP client shows it as a protocol error.
      sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON' }, id: null });
      return;
    }
    const server = createMcpServer(deps);
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    res.once('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, message);
    } catch (err) {
      log.warn({ err }, 'MCP request failed');
      if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
    }
  };
}

function refuse(res: ServerResponse, status: number, error: string): void {
  res.setHeader('connection', 'close');
  sendJson(res, status, { error });
}

/** The body, or undefined as soon as it passes `max` bytes (reading stops there). */
function readLimited(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
