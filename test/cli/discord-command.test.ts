import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/adapters/discord/commands.js';
import { BOT_PERMISSION_BITS } from '../../src/adapters/discord/permissions.js';
import { FakeDiscord } from '../adapters/discord/fake-discord.js';
import { FAKE } from '../adapters/discord/fake-payloads.js';
import { runCliInMemory } from './memory-io.js';

const cli = (args: string[], env: Record<string, string>) => runCliInMemory(args, env);

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => fake?.close());

describe('siptriage discord register', () => {
  it('registers the commands in one server by bulk overwrite, finding the application from the token', async () => {
    const env = { DISCORD_TOKEN: FAKE.token, DISCORD_API_URL: fake.apiUrl };
    const r = await cli(['discord', 'register', '--guild', FAKE.guildId], env);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`Registered 4 commands in server ${FAKE.guildId}: sip, sip-triage, sip-auto, Triage SIP trace\n`);
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /applications/@me', `PUT /applications/${FAKE.appId}/guilds/${FAKE.guildId}/commands`]);
    const put = fake.requests[1];
    expect(put?.auth).toBe(`Bot ${FAKE.token}`);
    expect(put?.body).toEqual(COMMANDS);
    const sip = put?.body.find((c: any) => c.name === 'sip');
    expect(sip.options[0]).toMatchObject({ name: 'query', type: 3, autocomplete: true, required: true });
    expect(put?.body.find((c: any) => c.name === 'Triage SIP trace')).toMatchObject({ type: 3 });
  });

  it('is idempotent: registering again sends the same set, globally when no server is given', async () => {
    const env = { DISCORD_TOKEN: FAKE.token, DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: FAKE.appId };
    const before = fake.requests.length;
    expect((await cli(['discord', 'register'], env)).code).toBe(0);
    expect((await cli(['discord', 'register'], env)).code).toBe(0);
    const puts = fake.requests.slice(before);
    expect(puts.map((q) => `${q.method} ${q.path}`)).toEqual([`PUT /applications/${FAKE.appId}/commands`, `PUT /applications/${FAKE.appId}/commands`]);
    expect(puts[0]?.body).toEqual(puts[1]?.body);
  });

  it('fails with one line on a rejected token or a bad server id', async () => {
    const bad = await cli(['discord', 'register'], { DISCORD_TOKEN: 'wrong', DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: FAKE.appId });
    expect(bad).toMatchObject({ code: 1, err: 'siptriage: could not register the commands: DISCORD_TOKEN was rejected (401)\n' });
    const guild = await cli(['discord', 'register', '--guild', 'general'], { DISCORD_TOKEN: FAKE.token, DISCORD_API_URL: fake.apiUrl });
    expect(guild.code).toBe(2);
    expect(guild.err).toMatch(/--guild takes a server id/);
    expect((await cli(['discord', 'register'], {})).err).toMatch(/set DISCORD_TOKEN/);
  });
});

describe('siptriage discord invite', () => {
  it('prints the invite URL with exactly the permissions the README documents', async () => {
    const r = await cli(['discord', 'invite'], { DISCORD_TOKEN: FAKE.token, DISCORD_APPLICATION_ID: FAKE.appId });
    const url = new URL(r.out.trim());
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(FAKE.appId);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe(BOT_PERMISSION_BITS.toString());
    const before = await cli(['discord', 'invite', '--application', FAKE.appId], {});
    expect(before.out).toBe(r.out);
    expect((await cli(['discord', 'invite'], {})).code).toBe(2);
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(`permissions=${BOT_PERMISSION_BITS.toString()}`);
  });
});
