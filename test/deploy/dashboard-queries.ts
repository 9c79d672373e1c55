// Reads the queries out of a Grafana dashboard JSON, so tests can check them with promtool and run them
// against a real Prometheus.

export interface DashboardQuery {
  readonly title: string;
  readonly expr: string;
  readonly datasourceUid: string | undefined;
}

interface Panel {
  readonly title?: string;
  readonly type?: string;
  readonly panels?: readonly Panel[];
  readonly targets?: readonly { readonly expr?: string; readonly datasource?: { readonly uid?: string } }[];
}

export function dashboardQueries(dashboard: unknown): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const walk = (panels: readonly Panel[]): void => {
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        if (typeof t.expr === 'string') out.push({ title: p.title ?? '(untitled)', expr: t.expr, datasourceUid: t.datasource?.uid });
      }
      if (p.panels) walk(p.panels);
    }
  };
  walk(((dashboard as { panels?: Panel[] }).panels) ?? []);
  return out;
}

export function grafanaVariables(dashboard: unknown): { name: string; type: string }[] {
  return ((dashboard as { templating?: { list?: { name: string; type: string }[] } }).templating?.list) ?? [];
}

/**
 * Grafana's own variables replaced by what Grafana would send for a one-hour view of every instance, so the
 * query is plain PromQL that promtool and Prometheus accept.
 */
export function asPlainPromql(expr: string, range = '1h'): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', range)
    .replaceAll('$instance', '.*');
}

/** Metric names a query reads (identifiers followed by a selector or a range, excluding functions and labels). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '{}').replace(/\b(by|without)\s*\([^)]*\)/g, '');
  for (const m of withoutLabels.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{|\[)/g)) {
    if (m[1] !== undefined) names.add(m[1]);
  }
  return [...names];
}
