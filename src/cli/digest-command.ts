import { parseArgs } from 'node:util';
import { renderCardText } from '../core/card/render-text.js';
import { digestCard } from '../core/stats/digest-card.js';
import { defaultKnowledge } from '../knowledge/load-knowledge.js';
import { configuredPosters } from './chat-posters.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';
import { withStore } from './store-command.js';

const USAGE = `Usage:
  siptriage digest [--since 24h] [--json]   the digest of the last 24 hours (or fewer: --since 6h), from the store
  siptriage digest --post [--json]          post the latest scheduled digest (DIGEST_CRON) to DIGEST_*_CHANNELS and
                                            subscribed channels where it has not gone out yet`;

const HOUR = 3_600_000;

/** siptriage digest: the digest on demand, printed or posted. */
export async function runDigest(args: readonly string[], io: CliIo, now = Date.now()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { since: { type: 'string' }, json: { type: 'boolean' }, post: { type: 'boolean' } },
    allowPositionals: true,
    strict: false,
  });
  const since = typeof values.since === 'string' ? parseSince(values.since) : 24 * HOUR;
  if (positionals.length > 0 || since === undefined || (values.post === true && values.since !== undefined)) {
    const why = since === undefined ? `--since takes 1h to 24h (like 6h or 1d), not "${String(values.since).slice(0, 20)}"` : values.post === true && values.since !== undefined ? '--post sends the scheduled digest; --since is for the printed one' : `unexpected "${positionals[0]?.slice(0, 20) ?? ''}"`;
    io.stderr.write(`siptriage: ${why}\n${USAGE}\n`);
    return EXIT.usage;
  }
  return withStore(io, async ({ config, log, digest }) => {
    if (values.post !== true) {
      const model = await digest.digest(now, since, true);
      if (values.json === true) io.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
      else io.stdout.write(`${renderCardText(digestCard(defaultKnowledge(), model, digest.timeZone), { color: io.stdout.isTTY === true })}\n`);
      return EXIT.ok;
    }
    const posters = await configuredPosters(config, log);
    if (posters.length === 0) {
      io.stderr.write('siptriage: --post needs Slack (SLACK_BOT_TOKEN) or Discord (DISCORD_TOKEN) configured\n');
      return EXIT.usage;
    }
    for (const poster of posters) digest.attachPoster(poster);
    const at = digest.latestScheduled(now);
    if (at === undefined) {
      io.stderr.write(`siptriage: DIGEST_CRON "${config.digest.cron}" has no scheduled time before now\n`);
      return EXIT.usage;
    }
    const outcomes = await digest.runScheduled(at);
    if (values.json === true) io.stdout.write(`${JSON.stringify({ scheduledAt: new Date(at).toISOString(), outcomes }, null, 2)}\n`);
    else if (outcomes.length === 0) io.stdout.write('No digest destinations: set DIGEST_SLACK_CHANNELS or DIGEST_DISCORD_CHANNELS, or /sip digest subscribe in a channel.\n');
    else for (const o of outcomes) io.stdout.write(`${o.destination}  ${o.period}  ${OUTCOME_TEXT[o.result]}${o.messageId === undefined ? '' : ` (${o.messageId})`}\n`);
    return outcomes.some((o) => o.result === 'failed') ? EXIT.failure : EXIT.ok;
  });
}

const OUTCOME_TEXT = {
  posted: 'posted',
  skipped: 'already posted (or being posted by another process)',
  failed: 'failed: not posted, released for a later run',
  'no-poster': 'not posted: that platform is not configured',
} as const;

/** "6h", "24h", "1d" → milliseconds, 1 to 24 hours; undefined otherwise. */
export function parseSince(text: string): number | undefined {
  const m = /^(\d{1,2})\s*([hd])$/i.exec(text.trim());
  if (m === null) return undefined;
  const hours = Number(m[1]) * (m[2]?.toLowerCase() === 'd' ? 24 : 1);
  return hours >= 1 && hours <= 24 ? hours * HOUR : undefined;
}
