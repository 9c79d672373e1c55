import type { Card } from '../core/card/card.js';
import { codeAnswerFor } from '../core/card/code-answer.js';
import type { Engine } from '../core/engine.js';
import { probeCard, probeProblemCard } from '../core/probe/probe-card.js';
import { attemptCode, finalAttempt, type ProbeReport } from '../core/probe/probe-report.js';
import { parseProbeRequest, type ProbeRequest } from '../core/probe/probe-request.js';
import { watchProblemCard } from '../core/probe/watch-card.js';
import { parseWatchCommand, WATCH_LIMITS } from '../core/probe/watch-request.js';
import type { Result } from '../core/result.js';
import type { Logger } from '../ports/logger.js';
import type { ProbePort } from '../ports/surface.js';
import { nodeDnsLookup, type DnsLookup } from './dns-lookup.js';
import type { ProbeConfig } from './probe-config.js';
import type { ProbeCredentials } from './register-probe.js';
import { runProbe } from './run-probe.js';
import { answerWatch, type WatchCommandsDeps } from './watch-commands.js';

export interface ProbeServiceDeps {
  readonly config: ProbeConfig;
  readonly engine: Engine;
  readonly log: Logger;
  readonly credentials?: ReadonlyMap<string, ProbeCredentials>;
  readonly dns?: DnsLookup;
  readonly now?: () => number;
  /** Watches in the store (`/sip probe watch`); without it, watching is answered as off. */
  readonly watch?: Omit<WatchCommandsDeps, 'policy'>;
}

// Probes from chat at once; more are turned away with a sentence rather than queued without bound.
const MAX_RUNNING = 4;

export interface ProbeService extends ProbePort {
  /** The report itself, for the command line's --json. */
  run(text: string): Promise<{ readonly ok: true; readonly report: ProbeReport; readonly cards: readonly Card[] } | { readonly ok: false; readonly cards: readonly Card[] }>;
  /** One probe as the scheduler runs it: the same allow-list and settings, no chat bound on how many run. */
  probe(request: ProbeRequest): Promise<Result<ProbeReport>>;
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
  const creds = deps.credentials;
  const probe = (request: ProbeRequest): Promise<Result<ProbeReport>> =>
    runProbe({ config: deps.config, dns, ...(creds === undefined ? {} : { credentials: (host: string) => creds.get(host) }) }, request);
  const run: ProbeService['run'] = async (text) => {
    const req = parseProbeRequest(text, { timeoutMs: deps.config.timeoutMs });
    if (!req.ok) return { ok: false, cards: [probeProblemCard(req.problem)] };
    if (running >= MAX_RUNNING) {
      return { ok: false, cards: [probeProblemCard({ code: 'probe-busy', message: `${running} probes are already running here; try again when they finish.` })] };
    }
    running++;
    try {
      const r = await probe(req.value);
      if (!r.ok) {
        log.info({ problem: r.problem.code }, 'probe refused');
        return { ok: false, cards: [probeProblemCard(r.problem)] };
      }
      const last = finalAttempt(r.value);
      const code = last === undefined ? undefined : attemptCode(last.outcome);
      log.info({ target: r.value.uri, method: req.value.method, code, attempts: r.value.attempts.length }, 'probe done');
      const cards: Card[] = [probeCard(r.value, now())];
      // The short answer a /sip 503 gives (headline, Do-now, essentials, the rest behind buttons), not the
      // whole card: the probe's own card already leads, and both must read on one screen.
      if (code !== undefined && (code < 200 || code >= 300)) cards.push(codeAnswerFor(deps.engine.kb, code) ?? deps.engine.explain(String(code)));
      return { ok: true, report: r.value, cards };
    } finally {
      running--;
    }
  };
  const watch = deps.watch;
  return {
    run,
    probe,
    async answer(text, where) {
      const cmd = parseWatchCommand(text, watch?.limits ?? WATCH_LIMITS);
      if (cmd !== undefined) {
        if (!cmd.ok) return { cards: [watchProblemCard(cmd.problem)], isError: true };
        if (watch === undefined) return { cards: [watchProblemCard({ code: 'watch-off', message: 'Watching targets needs the store, and this siptriage runs without one.' })], isError: true };
        return answerWatch({ ...watch, policy: deps.config.policy }, cmd.value, where);
      }
      const r = await run(text);
      return { cards: r.cards, isError: !r.ok };
    },
  };
}
