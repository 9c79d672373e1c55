import { REST, Routes, type APIApplication, type APIApplicationCommand } from 'discord.js';
import { COMMANDS } from './commands.js';
import { DiscordError } from './discord-error.js';
import { discordRestAgent } from './rest-agent.js';

export interface RegisterOptions {
  readonly token: string;
  /** Looked up from the token (GET /applications/@me) when not given. */
  readonly applicationId?: string;
  readonly apiUrl?: string;
  /** Register in one guild (instant, for testing) instead of globally. */
  readonly guildId?: string;
}

export interface Registered {
  readonly applicationId: string;
  readonly scope: 'global' | { readonly guild: string };
  readonly commands: readonly { readonly id: string; readonly name: string; readonly type: number }[];
}

/**
 * Uploads siptriage's commands with Discord's bulk overwrite (PUT), which replaces the whole set: running it
 * again changes nothing, and commands that siptriage no longer has disappear.
 */
export async function registerCommands(options: RegisterOptions): Promise<Registered> {
  const rest = new REST({ agent: discordRestAgent(), ...(options.apiUrl === undefined ? {} : { api: options.apiUrl }) }).setToken(options.token);
  try {
    const applicationId = options.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
    const route =
      options.guildId === undefined ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, options.guildId);
    const saved = (await rest.put(route, { body: COMMANDS })) as APIApplicationCommand[];
    return {
      applicationId,
      scope: options.guildId === undefined ? 'global' : { guild: options.guildId },
      commands: saved.map((c) => ({ id: c.id, name: c.name, type: c.type })),
    };
  } catch (cause) {
    const status = (cause as { status?: unknown }).status;
    const why = status === 401 ? 'DISCORD_TOKEN was rejected (401)' : status === 403 ? 'the bot may not manage commands there (403)' : (cause as Error).message;
    throw new DiscordError('DISCORD_API', `could not register the commands: ${why}`, { cause });
  }
}
