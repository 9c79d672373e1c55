import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { parseStatsQuery } from '../core/query/stats-query.js';
import { statsCard } from '../core/stats/stats-card.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';
import { withStore } from './store-command.js';

/** siptriage stats [24h|7d|30d] [code|class|peer] [--json]: the `/sip stats` card from the configured store. */
export async function runStats(args: readonly string[], io: CliIo, now = Date.now()): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: false });
  const parsed = parseStatsQuery(positionals.join(' '));
  if (!parsed.ok) {
    io.stderr.write(`siptriage: ${parsed.problem}\nUsage: siptriage stats [24h|7d|30d] [code|class|peer] [--json]\n`);
    return EXIT.usage;
  }
  return withStore(io, async ({ digest }) => {
    const model = await digest.stats(parsed.query, now);
    if (values.json === true) io.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
    else io.stdout.write(`${renderCardText(statsCard(defaultKnowledge(), model, digest.timeZone), { color: io.stdout.isTTY === true })}\n`);
    return EXIT.ok;
  });
}
