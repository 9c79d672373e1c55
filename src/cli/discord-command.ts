import { parseArgs } from 'node:util';
import { inviteUrl } from '../adapters/discord/permissions.js';
import { registerCommands } from '../adapters/discord/register-commands.js';
import { loadConfig } from '../app/config.js';
import { SiptriageError } from '../errors/errors.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './cli-io.js';

const USAGE = `Usage:
  siptriage discord register [--guild ID]   upload the commands (globally, or to one server at once)
  siptriage discord invite [--application ID]   print the URL that adds the bot with its permissions`;

/** siptriage discord register|invite: reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL. */
export async function runDiscord(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { guild: { type: 'string' }, application: { type: 'string' } }, allowPositionals: true, strict: false });
  const [action] = positionals;
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.stderr.write(`siptriage: ${loaded.error}\n`);
    return EXIT.failure;
  }
  const discord = loaded.config.discord;
  if (action !== 'register' && action !== 'invite') {
    io.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  if (action === 'invite') {
    // The invite needs only the application id, so it also works before a token is configured.
    const id = typeof values.application === 'string' ? values.application : discord?.applicationId;
    if (id === undefined || !/^\d{17,20}$/.test(id)) {
      io.stderr.write('siptriage: give the application id from the developer portal: --application ID, or DISCORD_APPLICATION_ID with DISCORD_TOKEN\n');
      return EXIT.usage;
    }
    io.stdout.write(`${inviteUrl(id)}\n`);
    return EXIT.ok;
  }
  if (discord === undefined) {
    io.stderr.write('siptriage: set DISCORD_TOKEN (the bot token from the developer portal)\n');
    return EXIT.usage;
  }
  const guild = typeof values.guild === 'string' ? values.guild : undefined;
  if (guild !== undefined && !/^\d{17,20}$/.test(guild)) {
    io.stderr.write(`siptriage: --guild takes a server id (17-20 digits), not "${guild.slice(0, 40)}"\n`);
    return EXIT.usage;
  }
  try {
    const done = await registerCommands({
      token: discord.token,
      ...(discord.applicationId === undefined ? {} : { applicationId: discord.applicationId }),
      ...(discord.apiUrl === undefined ? {} : { apiUrl: discord.apiUrl }),
      ...(guild === undefined ? {} : { guildId: guild }),
    });
    const where = done.scope === 'global' ? 'globally (may take up to an hour to appear everywhere)' : `in server ${done.scope.guild}`;
    io.stdout.write(`Registered ${done.commands.length} commands ${where}: ${done.commands.map((c) => c.name).join(', ')}\n`);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof SiptriageError)) throw err;
    io.stderr.write(`siptriage: ${err.message}\n`);
    return EXIT.failure;
  }
}
