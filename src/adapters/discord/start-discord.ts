import type { SurfaceStarter } from '../../ports/surface.js';
import type { DiscordSurfaceConfig } from './discord-config.js';

/**
 * The Discord surface, when DISCORD_TOKEN is set. discord.js is loaded only then, so the console and the
 * CLI start without it.
 */
export const startDiscord: SurfaceStarter<DiscordSurfaceConfig> = async (ctx) => {
  const settings = ctx.config.discord;
  if (settings === undefined) return undefined;
  const { connectDiscord } = await import('./connect-discord.js');
  return connectDiscord(ctx, settings);
};
