import { describe, expect, it } from 'vitest';
import { startAgainstFake } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import { FAKE } from './fake-payloads.js';

async function health(port: number): Promise<{ surfaces: string[] }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return (await res.json()) as { surfaces: string[] };
}

describe('Discord start-up through startService', () => {
  it('connects with the Guilds intent only when auto-triage is off, and disconnects on stop', async () => {
    const run = await startAgainstFake();
    try {
      expect(run.fake.identifies).toHaveLength(1);
      expect(run.fake.identifies[0].intents).toBe(1);
      expect(run.fake.sessions).toBe(1);
      expect((await health(run.service.address.port)).surfaces).toEqual(['discord']);
      expect(run.logs.some((l) => l.module === 'discord' && l.msg.startsWith('discord connected'))).toBe(true);
    } finally {
      await run.service.stop();
    }
    expect(run.fake.sessions).toBe(0);
    await run.fake.close();
  });

  it('logs one clear line for a rejected token, keeps the token out of the logs and keeps serving', async () => {
    const run = await startAgainstFake({}, { tokens: ['some-other-token'] });
    try {
      const errors = run.logs.filter((l) => l.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ module: 'discord', code: 'TokenInvalid' });
      expect(errors[0].msg).toBe('Discord rejected DISCORD_TOKEN (401 Unauthorized): Discord is off; the rest of siptriage keeps running');
      expect(JSON.stringify(run.logs)).not.toContain(FAKE.token);
      expect((await health(run.service.address.port)).surfaces).toEqual([]);
      expect(run.fake.sessions).toBe(0);
    } finally {
      await run.stop();
    }
  });

  it('explains a refused Message Content intent (close 4014) in one line and keeps serving', async () => {
    const run = await startAgainstFake({ DISCORD_AUTO_TRIAGE: 'true' }, { messageContentAllowed: false });
    try {
      const errors = run.logs.filter((l) => l.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0].msg).toMatch(/^Discord refused the Message Content intent \(gateway close 4014\): enable it under Bot → Privileged Gateway Intents, or set DISCORD_AUTO_TRIAGE=false/);
      expect((await health(run.service.address.port)).surfaces).toEqual([]);
    } finally {
      await run.stop();
    }
  });

  it('says Discord is unreachable, in one line, when nothing answers at DISCORD_API_URL', async () => {
    const run = await startAgainstFake({ DISCORD_API_URL: 'http://127.0.0.1:9/api' });
    try {
      const errors = run.logs.filter((l) => l.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0].msg).toMatch(/^Discord could not be reached at http:\/\/127\.0\.0\.1:9\/api/);
      expect((await health(run.service.address.port)).surfaces).toEqual([]);
    } finally {
      await run.stop();
    }
  });
});

describe('the Discord poster for digests and alerts', () => {
  it('posts a card into a channel and edits it later, through the REST queue', async () => {
    const run = await startAgainstFake();
    try {
      const [poster] = run.service.posters;
      expect(poster?.platform).toBe('discord');
      const ref = { platform: 'discord' as const, workspace: FAKE.guildId, channel: FAKE.channelId };
      const posted = await poster!.post(ref, { text: 'SIP failures today', cards: [run.service.engine.explain('503')] });
      const create = await run.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${FAKE.channelId}/messages`);
      expect(create.body.content).toBe('SIP failures today');
      expect(create.body.embeds[0].title).toBe('503 Service Unavailable');
      expect(create.auth).toBe(`Bot ${FAKE.token}`);
      expectWithinDiscordLimits(create.body);

      const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      await poster!.update(posted, { text: 'SIP failures today (updated)', cards: [run.service.engine.explain('486')], image: { png, filename: 'chart.png', alt: 'failures by hour' } });
      const edit = await run.fake.waitFor((r) => r.method === 'PATCH' && r.path === `/channels/${FAKE.channelId}/messages/${posted.id}`);
      expect(edit.body.content).toBe('SIP failures today (updated)');
      expect(edit.body.embeds[0]).toMatchObject({ title: '486 Busy Here', image: { url: 'attachment://chart.png' } });
      expect(edit.files).toEqual([{ field: 'files[0]', name: 'chart.png', size: png.byteLength, data: Buffer.from(png) }]);
    } finally {
      await run.stop();
    }
  });
});
