import type { Engine } from '../core/engine.js';
import { buildLadder } from '../core/ladder/build-ladder.js';
import { renderLadderSvg } from '../core/ladder/render-ladder-svg.js';
import { Redactor } from '../core/redact.js';
import { readTrace } from '../core/trace/read-trace.js';
import { sendJson, type RouteHandler } from '../ports/http-route.js';
import { bearerToken, sameSecret } from '../ports/secrets.js';
import type { CallsPort } from '../ports/surface.js';
import { checkCallLink, type CallFormat } from './call-links.js';

/**
 * GET /calls/CALL-ID: a kept call for Grafana links and the like, behind the /metrics bearer token when one
 * is set, or opened by a signed link (call-links.ts) from an alert or the digest. The ladder as SVG (both
 * legs when joined), or with ?format=trace the messages as text; numbers and addresses masked as REDACT_*
 * say, credentials always. The Call-ID is the rest of the path, URL-encoded.
 */
export function callsRoute(o: { calls: CallsPort; engine: Engine; token: string | undefined; linkKey?: Buffer | undefined; now?: () => number }): RouteHandler {
  const now = o.now ?? Date.now;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const callId = decoded(url.pathname.slice('/calls/'.length));
    const format: CallFormat = url.searchParams.get('format') === 'trace' ? 'trace' : 'ladder';
    const bearer = o.token !== undefined && sameSecret(bearerToken(req.headers.authorization), o.token);
    if ((o.token !== undefined || o.linkKey !== undefined) && !bearer) {
      const link = o.linkKey === undefined ? undefined : checkCallLink({ key: o.linkKey, callId: callId ?? '', format, exp: url.searchParams.get('exp'), sig: url.searchParams.get('sig'), now: Math.floor(now() / 1000) });
      if (link === undefined || (!link.ok && link.code === 'missing')) {
        res.setHeader('www-authenticate', 'Bearer realm="siptriage"');
        sendJson(res, 401, { error: 'a valid bearer token or a signed link is required' });
        return;
      }
      // One answer for a tampered and an expired link: which part was wrong is no one's business.
      if (!link.ok) {
        sendJson(res, 401, { error: 'this link has expired or is not valid; open the call again from chat for a new one' });
        return;
      }
    }
    if (callId === undefined) {
      sendJson(res, 400, { error: 'the Call-ID is not valid URL encoding' });
      return;
    }
    if (callId === '' || callId.length > 1024) {
      sendJson(res, 400, { error: 'give a Call-ID: /calls/CALL-ID' });
      return;
    }
    const call = await o.calls.open(callId);
    if (call === undefined) {
      sendJson(res, 404, { error: 'no kept call has that Call-ID' });
      return;
    }
    const redact = o.engine.options.redact;
    const redactor = new Redactor(redact);
    if (format === 'trace') {
      const messages = readTrace(call.text, { maxBytes: Number.MAX_SAFE_INTEGER }).messages;
      const body = messages.map((m) => redactor.text(m.raw)).join('\r\n');
      send(res, 'text/plain; charset=utf-8', body);
      return;
    }
    const report = o.engine.triage(call.text).report;
    send(res, 'image/svg+xml', renderLadderSvg(buildLadder(report, { callId, redactor })));
  };
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function send(res: Parameters<RouteHandler>[1], type: string, body: string): void {
  // The content came off the wire: never let a browser run it as anything but what it is.
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(body);
}
