// The Prometheus rules and the Grafana dashboard shipped in deploy/, checked with Prometheus's own promtool:
// the rules load and their unit tests pass, and every dashboard query is valid PromQL over metric names that
// siptriage really exports. promtool is installed by .ci/run; outside CI a missing promtool skips with a reason.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, grafanaVariables, metricNames, asPlainPromql } from './dashboard-queries.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const skip = !hasPromtool && process.env.CI === undefined;
const note = skip ? ' [skipped: promtool not installed; .ci/run installs Debian\'s prometheus package]' : '';

function promtool(args: readonly string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(skip)(`deploy/prometheus and deploy/grafana, checked with promtool${note}`, () => {
  it('the rules file loads and its unit tests pass', () => {
    const dir = join(DEPLOY, 'prometheus');
    const check = promtool(['check', 'rules', 'siptriage-rules.yml'], dir);
    expect(check.code, check.out).toBe(0);
    const test = promtool(['test', 'rules', 'siptriage-rules.test.yml'], dir);
    expect(test.code, test.out).toBe(0);
  });

  it('every dashboard query is valid PromQL (checked by promtool as a recording rule)', () => {
    const queries = dashboardQueries(JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'siptriage.json'), 'utf8')));
    expect(queries.length).toBeGreaterThanOrEqual(15);
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-dash-'));
    const rules = queries.map((q, i) => `      - record: dashboard:q${i}\n        expr: ${JSON.stringify(asPlainPromql(q.expr))}`).join('\n');
    writeFileSync(join(dir, 'queries.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules}\n`);
    const check = promtool(['check', 'rules', 'queries.yml'], dir);
    expect(check.code, check.out).toBe(0);
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'siptriage.json'), 'utf8')) as Record<string, unknown>;
  const text = JSON.stringify(dashboard);

  it('takes its data source and instance from variables, with nothing hard-coded', () => {
    const vars = grafanaVariables(dashboard);
    expect(vars.find((v) => v.name === 'datasource')?.type).toBe('datasource');
    expect(vars.find((v) => v.name === 'instance')?.type).toBe('query');
    for (const q of dashboardQueries(dashboard)) {
      expect(q.datasourceUid, q.title).toBe('${datasource}');
      expect(q.expr, q.title).toMatch(/instance=~"\$instance"/);
    }
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|:3000"/);
  });

  it('queries only metrics that siptriage exports (or Prometheus adds)', async () => {
    const { createMetrics } = await import('../../src/app/metrics.js');
    const exported = await createMetrics({ topPeers: 5 }).registry.getMetricsAsJSON();
    const known = new Set(exported.map((m) => m.name));
    // Gauges registered by features that are off in this bare registry (HEP collector, kept calls): every
    // `metrics.gauge('name', …)` call in the sources.
    for (const g of gaugesRegisteredInSources()) known.add(g);
    for (const q of dashboardQueries(dashboard)) {
      for (const name of metricNames(q.expr)) {
        const base = name.replace(/_(bucket|sum|count)$/, '');
        expect(known.has(name) || known.has(base), `${q.title}: ${name}`).toBe(true);
      }
    }
  });
});

function gaugesRegisteredInSources(): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/\.gauge\(\s*'(siptriage_[a-z_]+)'/g)) names.push(m[1] ?? '');
    }
  };
  walk(join(import.meta.dirname, '..', '..', 'src'));
  return names;
}
