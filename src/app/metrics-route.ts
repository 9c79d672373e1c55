import { sendJson, type RouteHandler } from '../ports/http-route.js';
import type { PrometheusMetrics } from './metrics.js';
import { bearerToken, sameSecret } from '../ports/secrets.js';

/** GET /metrics in the Prometheus text format; behind a bearer token when METRICS_TOKEN is set. */
export function metricsRoute(metrics: PrometheusMetrics, token: string | undefined): RouteHandler {
  return async (req, res) => {
    if (token !== undefined && !sameSecret(bearerToken(req.headers.authorization), token)) {
      res.setHeader('www-authenticate', 'Bearer realm="siptriage"');
      sendJson(res, 401, { error: 'a valid bearer token is required' });
      return;
    }
    const body = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}
