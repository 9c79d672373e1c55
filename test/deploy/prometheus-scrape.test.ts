// The dashboard and the rules, run by the real Prometheus (Debian's package) against a running siptriage that
// counts real calls: SIPp through Kamailio, mirrored over HEPv3. A panel whose query returns nothing would be
// an empty graph in front of the on-call engineer, so every query and every rule must return data here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService } from '../../src/app/start.js';
import { sippThroughKamailio } from '../ingest/kamailio-sipp.js';
import { missingTools, run, stop, waitFor, type Running } from '../ingest/sip-tools.js';
import { optionsResponder } from '../probes/probe-peers.js';
import { asPlainPromql, dashboardQueries, metricNames } from './dashboard-queries.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const TOKEN = 'scrape-token-0123456789';
const CAPTURE_KEY = 'scrape-capture-key';

const missing = [...missingTools(), ...(spawnSync('prometheus', ['--version']).status === 0 ? [] : ['prometheus'])];
const skip = missing.length > 0 && process.env.CI === undefined;
const note = skip ? ` [skipped: ${missing.join(', ')} not available; .ci/run installs Debian's prometheus, kamailio, sip-tester and tshark]` : '';

async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface PromResult {
  readonly status: string;
  readonly error?: string;
  readonly data?: { readonly result: readonly { readonly metric: Record<string, string> }[] };
}

async function query(base: string, expr: string): Promise<PromResult> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as PromResult;
}

describe.skipIf(skip)(`Prometheus scrapes siptriage fed by Kamailio HEP of SIPp calls${note}`, () => {
  it('returns data for every dashboard query, every recording rule and every alert input', async () => {
    expect(missing).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-prom-'));
    const started: Running[] = [];
    const r = loadConfig({
      PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: `sqlite:${join(dir, 'siptriage.db')}`,
      HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: CAPTURE_KEY, HEP_CALL_GRACE_SECONDS: '0.5', METRICS_TOKEN: TOKEN,
      PROBE_ALLOW: '127.0.0.1', PROBE_ALLOW_PRIVATE: 'true', PROBE_TIMEOUT_SECONDS: '1',
    });
    if (!r.ok) throw new Error(r.error);
    const service = await startService(r.config, createLogger({ level: 'warn', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false }, { probeTickMs: 100 });
    // A watched SIP peer, so that the probe panels have series to draw.
    const responder = await optionsResponder();
    await service.watching?.commands.store.watch({ watcher: 'slack::C0PROMETHEUS', target: `sip:127.0.0.1:${responder.port}`, intervalMs: 500, createdAt: Date.now() });
    try {
      // The rules as shipped, evaluated every second instead of every 30 s so the test need not wait.
      const rules = readFileSync(join(DEPLOY, 'prometheus', 'siptriage-rules.yml'), 'utf8').replace(/interval: 30s/g, 'interval: 1s');
      writeFileSync(join(dir, 'rules.yml'), rules);
      writeFileSync(join(dir, 'token'), TOKEN);
      writeFileSync(
        join(dir, 'prometheus.yml'),
        [
          'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'rule_files:', `  - ${join(dir, 'rules.yml')}`,
          'scrape_configs:', '  - job_name: siptriage', '    authorization:', `      credentials_file: ${join(dir, 'token')}`,
          '    static_configs:', `      - targets: ['127.0.0.1:${service.address.port}']`, '',
        ].join('\n'),
      );
      const promPort = await freeTcpPort();
      const prometheus = run('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`]);
      started.push(prometheus);
      await waitFor(prometheus, /Server is ready to receive web requests/, 'prometheus', 30_000);
      const base = `http://127.0.0.1:${promPort}`;

      const mix = { 200: 6, 503: 6, 486: 3, 404: 2 } as const;
      await sippThroughKamailio({ dir, hepPort: service.ports.hep as number, captureKey: CAPTURE_KEY, mix, started, callsPerSecond: 4 });

      // Scraped with the bearer token, and the calls counted: then a few more scrapes so rate() has two samples.
      const deadline = Date.now() + 30_000;
      let up: PromResult | undefined;
      let failures: PromResult | undefined;
      while (Date.now() < deadline) {
        up = await query(base, 'up{job="siptriage"} == 1');
        failures = await query(base, 'sum(siptriage_calls_total{kind="failure"}) >= 11');
        if ((up.data?.result.length ?? 0) > 0 && (failures.data?.result.length ?? 0) > 0) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      expect(up?.data?.result.length, 'scraped with the token').toBe(1);
      expect(failures?.data?.result.length, 'the 11 failed calls counted').toBe(1);
      await new Promise((res) => setTimeout(res, 4000));

      // Metrics of features this service does not run (scheduled probes) have no series; their panels are
      // exempt only while the service does not export them.
      const exported = await service.metrics.text();
      const empty: string[] = [];
      const errors: string[] = [];
      const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'siptriage.json'), 'utf8')) as unknown;
      const queries = dashboardQueries(dashboard);
      for (const q of queries) {
        const names = metricNames(q.expr);
        const probeOnly = names.every((n) => n.startsWith('siptriage_probe_'));
        if (probeOnly && !names.some((n) => exported.includes(n.replace(/_(bucket|sum|count)$/, '')))) continue;
        const res = await query(base, asPlainPromql(q.expr));
        if (res.status !== 'success') errors.push(`${q.title}: ${res.error ?? res.status}`);
        else if ((res.data?.result.length ?? 0) === 0) empty.push(`${q.title}: ${q.expr}`);
      }
      const recorded = [...rules.matchAll(/- record: (\S+)/g)].map((m) => m[1] ?? '');
      for (const name of recorded) {
        if (((await query(base, name)).data?.result.length ?? 0) === 0) empty.push(`rule ${name}`);
      }
      // Each alert's inputs (the series it compares), not the alert itself, which rightly stays quiet.
      for (const m of rules.matchAll(/- alert: (\S+)\n\s+(?:#.*\n\s+)*expr: (\|\n(?:\s{10}.*\n)+|.*\n)/g)) {
        const expr = m[2] ?? '';
        if (expr.includes('absent(')) continue;
        for (const name of new Set(expr.match(/\b(?:siptriage[a-z0-9_:]*|up)\b(?=\s*[{\[)<>=!a]|\s*$)/g) ?? [])) {
          if (((await query(base, name)).data?.result.length ?? 0) === 0) empty.push(`alert ${m[1]}: ${name}`);
        }
      }
      expect(errors).toEqual([]);
      expect(empty).toEqual([]);
      expect(queries.length).toBeGreaterThanOrEqual(15);
      expect(recorded.length).toBeGreaterThanOrEqual(8);
      // The 5xx share per peer is what SiptriagePeer5xxHigh pages on. A peer's series starts when the peer
      // becomes busy enough for a label of its own, and rate() cannot see what came before a series' first
      // sample; so, as on a live trunk, more calls follow and the ratio is read over them.
      // A second proxy needs its own run directory (pid file, control socket).
      const moreDir = join(dir, 'more');
      mkdirSync(moreDir);
      await sippThroughKamailio({ dir: moreDir, hepPort: service.ports.hep as number, captureKey: CAPTURE_KEY, mix: { 200: 2, 503: 4 }, started, callsPerSecond: 4 });
      let ratio = await query(base, 'siptriage:peer_5xx:ratio5m > 0');
      for (let i = 0; i < 30 && (ratio.data?.result.length ?? 0) === 0; i++) {
        await new Promise((res) => setTimeout(res, 500));
        ratio = await query(base, 'siptriage:peer_5xx:ratio5m > 0');
      }
      expect(ratio.data?.result.length).toBeGreaterThan(0);
    } finally {
      for (const p of started) await stop(p);
      await service.stop();
      await responder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
