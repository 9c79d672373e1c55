import { escapeXml } from '../core/svg/svg-text.js';
import { parseCallsQuery } from '../core/query/calls-query.js';
import type { RedactOptions } from '../core/redact.js';
import { sendJson, type RouteHandler } from '../ports/http-route.js';
import { bearerToken, sameSecret } from '../ports/secrets.js';
import type { CallsPort } from '../ports/surface.js';
import { encodeCallId } from './call-links.js';
import { listedCall } from './shown-calls.js';

const LIMIT = 100;
const PARAMS = { code: /^([1-6]\d\d|[1-6]xx)$/i, peer: /^[A-Za-z0-9.:[\]-]{1,255}$/, period: /^(1h|24h|7d)$/i } as const;

/**
 * GET /calls?code=503&peer=203.0.113.7&period=1h: the latest kept calls, for Grafana's per-code and dashboard
 * links; HTML for a browser, JSON with ?format=json. Each row links its ladder and trace relative to this
 * page, so the links keep working behind a proxy that serves siptriage under a path. Behind the /metrics
 * bearer token when one (or a link secret) is set: a dashboard link cannot be signed, so people reach this
 * list through the team's authenticating proxy, which adds the token.
 */
export function callsListRoute(o: { calls: CallsPort; redact: RedactOptions; token: string | undefined; protectedByLinks: boolean; now?: () => number }): RouteHandler {
  const now = o.now ?? Date.now;
  return async (req, res) => {
    const open = o.token === undefined && !o.protectedByLinks;
    if (!open && (o.token === undefined || !sameSecret(bearerToken(req.headers.authorization), o.token))) {
      res.setHeader('www-authenticate', 'Bearer realm="siptriage"');
      sendJson(res, 401, { error: 'a valid bearer token is required' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const words: string[] = [];
    for (const [name, pattern] of Object.entries(PARAMS)) {
      const v = url.searchParams.get(name);
      if (v === null || v === '') continue;
      if (!pattern.test(v)) {
        sendJson(res, 400, { error: `${name} is not valid: expected ${name === 'code' ? '503 or 5xx' : name === 'peer' ? 'a host or address' : '1h, 24h or 7d'}` });
        return;
      }
      words.push(v);
    }
    const parsed = parseCallsQuery(words.join(' '));
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.problem });
      return;
    }
    const q = parsed.query;
    const at = now();
    const rows = (
      await o.calls.find({
        from: at - q.periodMs,
        to: at + 1,
        limit: LIMIT,
        ...(q.code === undefined ? {} : { code: q.code }),
        ...(q.codeClass === undefined ? {} : { codeClass: q.codeClass }),
        ...(q.peer === undefined ? {} : { peer: q.peer }),
      })
    ).map((r) => listedCall(r, o.redact));
    const list = rows.map((r) => ({ callId: r.callId, time: new Date(r.time).toISOString(), code: r.code, method: r.method, from: r.from, to: r.to, peer: r.peer, findings: r.findings, ladder: `calls/${encodeCallId(r.callId)}`, trace: `calls/${encodeCallId(r.callId)}?format=trace` }));
    if (url.searchParams.get('format') === 'json') {
      sendJson(res, 200, { calls: list, limit: LIMIT, keepDays: o.calls.keepDays });
      return;
    }
    const title = `Kept calls${words.length === 0 ? '' : `: ${words.join(' ')}`}`;
    const cell = (v: string | number | null): string => `<td>${escapeXml(String(v ?? ''))}</td>`;
    const body = [
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title>`,
      '<style>body{font:14px system-ui,sans-serif;margin:1em}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #ddd}</style></head><body>',
      `<h1>${escapeXml(title)}</h1>`,
      list.length === 0 ? `<p>No kept call matches (calls are kept ${o.calls.keepDays} days).</p>` : '<table><tr><th>Time (UTC)</th><th>Code</th><th>Method</th><th>From</th><th>To</th><th>Peer</th><th>Findings</th><th>Call-ID</th><th></th></tr>',
      ...list.map((c) => `<tr>${cell(c.time.slice(0, 19).replace('T', ' '))}${cell(c.code)}${cell(c.method)}${cell(c.from)}${cell(c.to)}${cell(c.peer)}${cell(c.findings.join(', '))}<td><a href="${escapeXml(c.ladder)}">${escapeXml(c.callId)}</a></td><td><a href="${escapeXml(c.trace)}">trace</a></td></tr>`),
      list.length === 0 ? '' : `</table><p>The latest ${LIMIT} at most.</p>`,
      '</body></html>',
    ].join('\n');
    // The rows came off the wire: no script runs on this page, whatever a header held.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
    res.end(body);
  };
}
