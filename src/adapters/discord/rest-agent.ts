import { createRequire } from 'node:module';
import type { RESTOptions } from 'discord.js';

type Agent = NonNullable<RESTOptions['agent']>;

/**
 * An HTTP agent from the undici that @discordjs/rest itself depends on. undici keeps its default agent in a
 * process-wide symbol that every copy shares; when Slack's Socket Mode client (undici 7) loads first, the
 * REST client (undici 6) picks up a v7 agent that cannot send its v6 multipart bodies ("action is not a
 * function" on file uploads). Giving REST an agent of its own version keeps the two apart.
 */
export function discordRestAgent(): Agent {
  const requireFromRest = createRequire(createRequire(import.meta.url).resolve('@discordjs/rest'));
  const undici = requireFromRest('undici') as { Agent: new () => Agent };
  return new undici.Agent();
}
