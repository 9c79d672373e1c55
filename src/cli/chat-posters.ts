import type { Config } from '../app/config.js';
import type { Logger } from '../ports/logger.js';
import type { ChatPoster } from '../core/chat-port.js';

/**
 * Posters for the configured chat platforms without starting them: a Slack Web API client and a Discord REST
 * client are all a post needs (no Socket Mode, no gateway), so `siptriage digest --post` can run from cron or
 * CI beside a running service. The SDKs load only when their platform is configured.
 */
export async function configuredPosters(config: Config, log: Logger): Promise<ChatPoster[]> {
  const posters: ChatPoster[] = [];
  if (config.slack !== undefined) {
    const [{ webApi }, { slackChatPoster }] = await Promise.all([import('@slack/bolt'), import('../adapters/slack/chat-poster.js')]);
    // Few client retries: the digest retries a failed post itself, within its claim's lease.
    const client = new webApi.WebClient(config.slack.botToken, {
      ...(config.slack.apiUrl === undefined ? {} : { slackApiUrl: config.slack.apiUrl }),
      retryConfig: { retries: 2 },
      timeout: 15_000,
      logLevel: webApi.LogLevel.ERROR,
    });
    posters.push(slackChatPoster(client, log.child({ module: 'slack' })));
  }
  if (config.discord !== undefined) {
    const [{ REST }, { discordPoster }, { discordRestAgent }] = await Promise.all([
      import('discord.js'),
      import('../adapters/discord/discord-poster.js'),
      import('../adapters/discord/rest-agent.js'),
    ]);
    const rest = new REST({ agent: discordRestAgent(), ...(config.discord.apiUrl === undefined ? {} : { api: config.discord.apiUrl }) }).setToken(config.discord.token);
    posters.push(discordPoster(rest));
  }
  return posters;
}
