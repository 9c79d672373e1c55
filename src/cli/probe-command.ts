import { loadConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { probeService } from '../app/start.js';
import { renderCardText } from '../core/card/render-text.js';
import { createEngine } from '../core/engine.js';
import { isUp } from '../core/probe/probe-report.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

/**
 * siptriage probe <target> [--transport …] [--timeout …] [--method …] [--json]: the same probe as
 * `/sip probe`, under the same PROBE_* settings (allow-list included). Exit 0 when the server is up,
 * 1 when it is down or unreachable, 2 for a target that cannot be read or may not be probed.
 */
export async function runProbeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const text = args.filter((a) => a !== '--json').join(' ');
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.stderr.write(`siptriage: ${loaded.error}\n`);
    return EXIT.usage;
  }
  const log = createLogger({ level: 'silent', pretty: false });
  const service = probeService(loaded.config, createEngine(defaultKnowledge()), log);
  const r = await service.run(text);
  if (json) {
    io.stdout.write(`${JSON.stringify(r.ok ? { ok: true, report: r.report, cards: r.cards } : { ok: false, problem: r.cards[0]?.summary, cards: r.cards }, null, 2)}\n`);
  } else {
    for (const card of r.cards) (r.ok ? io.stdout : io.stderr).write(`${renderCardText(card, { color: io.stdout.isTTY === true })}\n\n`);
  }
  if (!r.ok) return EXIT.usage;
  return isUp(r.report) ? EXIT.ok : EXIT.failure;
}
