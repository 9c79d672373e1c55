import type { IncomingMessage, ServerResponse } from 'node:http';

// What a surface needs of the shared HTTP server: a way to add a route, and the JSON answer helper. The
// server itself (app/http-server.ts) is wiring; features see only this.

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Where surfaces register their routes on the one server that listens on PORT. */
export interface HttpRoutes {
  /** Registers a handler for a method and exact path ("GET /healthz"), or every path under one ("GET /calls/*"). */
  route(method: string, path: string, handler: RouteHandler): void;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
