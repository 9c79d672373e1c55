import type { Card } from '../core/card/card.js';
import type { Engine } from '../core/engine.js';
import { probeCard, probeProblemCard } from '../core/probe/probe-card.js';
import { attemptCode, finalAttempt, type ProbeReport } from '../core/probe/probe-report.js';
import { parseProbeRequest } from '../core/probe/probe-request.js';
import type { Logger } from '../ports/logger.js';
import type { ProbePort } from '../ports/surface.js';
import { nodeDnsLookup, type DnsLookup } from './dns-lookup.js';
import type { ProbeConfig } from './probe-config.js';
import type { ProbeCredentials } from './register-probe.js';
import { runProbe } from './run-probe.js';

export interface ProbeServiceDeps {
  readonly config: ProbeConfig;
  readonly engine: Engine;
  readonly log: Logger;
  readonly credentials?: ReadonlyMap<string, ProbeCredentials>;
  readonly dns?: DnsLookup;
  readonly now?: () => number;
}

// Probes from chat at once; more are turned away with a sentence rather than queued without bound.
const MAX_RUNNING = 4;

export interface ProbeService extends ProbePort {
  /** The report itself, for the command line's --json. */
  run(text: string): Promise<{ readonly ok: true; readonly report: ProbeReport; readonly cards: readonly Card[] } | { readonly ok: false; readonly cards: readonly Card[] }>;
}

/**
 * `/sip probe <target>` for every surface, and `siptriage probe`: the text is read, the probe run, and the
 * answer is the probe's card followed by the card of the code it ended with (what a 403 or 503 means and
 * what to do), unless that code is a plain 2xx.
 */
export function createProbeService(deps: ProbeServiceDeps): ProbeService {
  const log = deps.log.child({ module: 'probes' });
  const dns = deps.dns ?? nodeDnsLookup({ servers: deps.config.dnsServers, timeoutMs: deps.config.dnsTimeoutMs });
  const now = deps.now ?? Date.now;
  let running = 0;
  const run: ProbeService['run'] = async (text) => {
    const req = parseProbeRequest(text, { timeoutMs: deps.config.timeoutMs });
    if (!req.ok) return { ok: false, cards: [probeProblemCard(req.problem)] };
    if (running >= MAX_RUNNING) {
      return { ok: false, cards: [probeProblemCard({ code: 'probe-busy', message: `${running} probes are already running here; try again when they finish.` })] };
    }
    running++;
    try {
      const creds = deps.credentials;
      const r = await runProbe({ config: deps.config, dns, ...(creds === undefined ? {} : { credentials: (host: string) => creds.get(host) }) }, req.value);
      if (!r.ok) {
        log.info({ problem: r.problem.code }, 'probe refused');
        return { ok: false, cards: [probeProblemCard(r.problem)] };
      }
      const last = finalAttempt(r.value);
      const code = last === undefined ? undefined : attemptCode(last.outcome);
      log.info({ target: r.value.uri, method: req.value.method, code, attempts: r.value.attempts.length }, 'probe done');
      const cards: Card[] = [probeCard(r.value, now())];
      if (code !== undefined && (code < 200 || code >= 300)) cards.push(deps.engine.explain(String(code)));
      return { ok: true, report: r.value, cards };
    } finally {
      running--;
    }
  };
  return {
    run,
    async answer(text) {
      const r = await run(text);
      return { cards: r.cards, isError: !r.ok };
    },
  };
}
