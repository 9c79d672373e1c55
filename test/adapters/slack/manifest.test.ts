import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { SHORTCUT_TRIAGE, SIP_COMMAND } from '../../../src/adapters/slack/slack-messages.js';
import { SLACK_EVENTS_PATH } from '../../../src/adapters/slack/start-slack.js';

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src/adapters/slack');

interface Manifest {
  features: { slash_commands: { command: string; url: string }[]; shortcuts: { callback_id: string; type: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { request_url: string } };
}

const manifest = load(readFileSync(join(ROOT, 'slack/manifest.yaml'), 'utf8')) as Manifest;
const source = readdirSync(SRC).map((f) => readFileSync(join(SRC, f), 'utf8')).join('\n');

// What each thing the code uses needs (https://docs.slack.dev/reference/scopes).
const SCOPE_FOR: Readonly<Record<string, string[]>> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'files.info': ['files:read'],
  'conversations.replies': ['channels:history', 'groups:history'],
  filesUploadV2: ['files:write'],
  "event('message'": ['channels:history', 'groups:history'],
  "event('app_mention'": ['app_mentions:read'],
  'command(SIP_COMMAND': ['commands'],
  'shortcut(SHORTCUT_TRIAGE': ['commands'],
};

describe('slack/manifest.yaml', () => {
  it('names the command, the shortcut and the endpoint the code serves', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SIP_COMMAND]);
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ callback_id: SHORTCUT_TRIAGE, type: 'message' })]);
    const urls = [...manifest.features.slash_commands.map((c) => c.url), manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it('subscribes to exactly the events the code listens to', () => {
    const listened = [...source.matchAll(/app\.event\('([a-z_]+)'/g)].map((m) => m[1]);
    expect(listened.sort()).toEqual(['app_mention', 'message']);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_mention', 'message.channels', 'message.groups']);
  });

  it('asks for exactly the scopes the code needs, no more', () => {
    // Listener registrations appear as written; API calls as .chat.postMessage( or .filesUploadV2(.
    const used = Object.keys(SCOPE_FOR).filter((k) => source.includes(k.includes('(') ? k : `.${k}(`));
    expect(used.sort()).toEqual(Object.keys(SCOPE_FOR).sort());
    const needed = new Set(used.flatMap((k) => SCOPE_FOR[k] ?? []));
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    // Every Web API method the adapter calls is one the table above knows about.
    const methods = new Set([...source.matchAll(/client\.([a-z]+)\.([A-Za-z]+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    for (const m of methods) expect(Object.keys(SCOPE_FOR)).toContain(m);
  });
});
