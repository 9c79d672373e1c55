import { FAKE } from './discord/fake-payloads.js';
import type { FakeDiscord } from './discord/fake-discord.js';
import type { FakeSlackApi } from './slack/fake-slack-api.js';
import { BOT_TOKEN, SIGNING_SECRET } from './slack/slack-service.js';

/** The settings of a service posting to a fake Slack and a fake Discord on 127.0.0.1, its store in memory. */
export function bothChatsEnv(slack: FakeSlackApi, discord: FakeDiscord): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    CONSOLE: 'off',
    TRIAGE_WORKERS: '0',
    DATABASE_URL: ':memory:',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: FAKE.token,
    DISCORD_API_URL: discord.apiUrl,
  };
}
