import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson, type HttpRoutes, type RouteHandler } from '../ports/http-route.js';
import type { Logger } from '../ports/logger.js';

/**
 * One HTTP server for everything siptriage serves on PORT: /healthz, Slack's /slack/events, /metrics and
 * /ingest. Surfaces register routes; the server only dispatches and turns a thrown handler into a 500.
 */
export class HttpServer implements HttpRoutes {
  readonly #routes = new Map<string, RouteHandler>();
  readonly #server: Server;
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log.child({ module: 'http' });
    this.#server = createServer((req, res) => void this.#dispatch(req, res));
    // Slow or idle clients must not hold sockets open for ever.
    this.#server.requestTimeout = 30_000;
    this.#server.headersTimeout = 10_000;
  }

  /** Registers a handler for a method and exact path ("GET /healthz"), or every path under one ("GET /calls/*"). */
  route(method: string, path: string, handler: RouteHandler): void {
    this.#routes.set(`${method.toUpperCase()} ${path}`, handler);
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return this.#server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  #find(method: string, path: string): RouteHandler | undefined {
    const exact = this.#routes.get(`${method} ${path}`);
    if (exact !== undefined) return exact;
    for (const [key, handler] of this.#routes) {
      if (!key.endsWith('/*')) continue;
      const prefix = key.slice(0, -1);
      if (`${method} ${path}`.startsWith(prefix) && path.length > prefix.length - method.length - 1) return handler;
    }
    return undefined;
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    // RFC 9110 §9.3.2: HEAD is GET without the body (Node drops the body of a HEAD answer itself), and load
    // balancers' health checks use it.
    const handler = this.#find(method, path) ?? (method === 'HEAD' ? this.#find('GET', path) : undefined);
    if (handler === undefined) {
      const methods = [...this.#routes.keys()].filter((k) => k.endsWith(` ${path}`)).map((k) => k.slice(0, k.indexOf(' ')));
      if (methods.length > 0) res.setHeader('allow', (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', '));
      sendJson(res, methods.length > 0 ? 405 : 404, { error: methods.length > 0 ? 'method not allowed' : 'not found' });
      return;
    }
    try {
      await handler(req, res);
    } catch (err) {
      if (clientAborted(req, err)) {
        // The client went away mid-body: its business, not a fault of ours, so one line and no stack.
        this.#log.warn({ path, code: 'CLIENT_ABORTED' }, 'the client closed the connection before its request was read');
        return;
      }
      this.#log.error({ err, path }, 'request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    }
  }
}

// Node rejects a body read with "aborted" (ECONNRESET) when the socket closes before the body's end.
function clientAborted(req: IncomingMessage, err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' && (req.readableAborted || req.destroyed);
}
