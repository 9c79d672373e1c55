import { describe, expect, it } from 'vitest';
import { HttpServer } from '../../src/app/http-server.js';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { metricsRoute } from '../../src/app/metrics-route.js';

describe('GET /metrics', () => {
  it('asks for the bearer token when METRICS_TOKEN is set, and serves the chat and digest counters', async () => {
    const metrics = createMetrics({ topPeers: 5, processMetrics: false });
    metrics.chatCommand('slack', 'code');
    metrics.digestRun('posted');
    const http = new HttpServer(createLogger({ level: 'silent', pretty: false }));
    http.route('GET', '/metrics', metricsRoute(metrics, 'metrics-token-0123456789'));
    const { port } = await http.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
      expect(ok.status).toBe(200);
      const text = await ok.text();
      expect(text).toContain('siptriage_chat_commands_total{surface="slack",kind="code"} 1');
      expect(text).toContain('siptriage_digest_runs_total{result="posted"} 1');
    } finally {
      await http.close();
    }
  });
});
