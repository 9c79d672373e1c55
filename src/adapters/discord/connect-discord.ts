import { once } from 'node:events';
import { Client, Events } from 'discord.js';
import type { RunningSurface, SurfaceContext } from '../../ports/surface.js';
import { channelCommands } from '../../commands/channel-commands.js';
import { suggest } from '../../core/query/suggest.js';
import { HeldTraces } from '../held-traces.js';
import { DISCORD_CDN_ORIGINS } from './attachments.js';
import type { DiscordConfig } from './discord-config.js';
import type { DiscordDeps } from './deps.js';
import { discordPoster } from './discord-poster.js';
import { HeldQueries } from './held-queries.js';
import { discordRestAgent } from './rest-agent.js';
import { attachHandlers } from './dispatch.js';
import { loginFailure } from './login-failure.js';
import { gatewayIntents } from './permissions.js';
import { Recorder } from './record.js';

// Discord normally answers IDENTIFY with READY within a second; past this, start-up goes on without it.
const READY_TIMEOUT_MS = 30_000;

/**
 * Connects the bot through the gateway with the fewest intents it needs and answers commands, the message
 * menu and (when enabled) pasted traces. A rejected token, a refused intent or an unreachable Discord is one
 * log line: the surface is left out and the rest of siptriage keeps running.
 */
export async function connectDiscord({ log, engine, triage, store, alerts, stats, metrics, probes, calls }: SurfaceContext, settings: DiscordConfig): Promise<RunningSurface | undefined> {
  const dlog = log.child({ module: 'discord' });
  const client = new Client({
    intents: gatewayIntents(settings.autoTriage),
    rest: { agent: discordRestAgent(), ...(settings.apiUrl === undefined ? {} : { api: settings.apiUrl }) },
    allowedMentions: { parse: [] },
  });
  client.on(Events.Warn, (message) => dlog.warn({ discord: message }, 'discord.js warning'));
  client.on(Events.Error, (err) => dlog.error({ err }, 'discord.js error'));
  // discord.js's REST queue waits a rate limit out and retries; worth knowing when answers slow down.
  client.rest.on('rateLimited', (info) => dlog.info({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit: waiting'));
  client.on(Events.ShardDisconnect, (event) => dlog.warn({ code: event.code }, 'discord gateway closed for good'));

  // Handlers go on before login: events Discord sends while the client gets ready are replayed at once.
  const deps: DiscordDeps = {
    engine,
    triage,
    store,
    log: dlog,
    recorder: new Recorder(store, dlog),
    commands: channelCommands({ surface: 'discord', log: dlog, store, alerts, stats, metrics, probes, calls, redact: engine.options.redact }),
    metrics,
    autoTriage: settings.autoTriage,
    attachmentOrigins: [...DISCORD_CDN_ORIGINS, ...(settings.apiUrl === undefined ? [] : [new URL(settings.apiUrl).origin])],
    held: new HeldTraces(),
    queries: new HeldQueries(),
  };
  attachHandlers(client, deps);
  // Build the autocomplete index now, so the first person typing /sip does not pay for it.
  suggest(engine.kb, '');

  const waiting = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: waiting.signal });
  ready.catch(() => {});
  try {
    await withTimeout(client.login(settings.token), READY_TIMEOUT_MS);
    await withTimeout(ready, READY_TIMEOUT_MS);
  } catch (err) {
    dlog.error({ code: (err as { code?: unknown }).code ?? null }, loginFailure(err, settings.apiUrl));
    await client.destroy().catch(() => {});
    return undefined;
  } finally {
    waiting.abort();
  }

  dlog.info(
    { user: client.user?.tag, guilds: client.guilds.cache.size, autoTriage: settings.autoTriage, store: store?.kind ?? null },
    store === undefined ? 'discord connected (no store: nothing is recorded and /sip-auto cannot save settings)' : 'discord connected',
  );
  return {
    name: 'discord',
    // Alerts and digests posted by this process hold their long queries where its clicks are answered.
    poster: discordPoster(client.rest, deps.queries),
    stop: () => client.destroy(),
  };
}


async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { code: 'TIMEOUT' })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
