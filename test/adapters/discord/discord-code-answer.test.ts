import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interact as interactWith, startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { buttonClick, chatInput, FAKE, messageObject } from './fake-payloads.js';

const EPHEMERAL = 64;

let run: Running;
beforeAll(async () => {
  run = await startAgainstFake();
});
afterAll(async () => run?.stop());

const interact = (payload: any): Promise<RecordedRequest> => interactWith(run, payload);
const customIds = (data: any): string[] => (data.components ?? []).flatMap((r: any) => r.components.map((c: any) => c.custom_id));
const embedText = (data: any): number => {
  const e = data.embeds[0];
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n: number, f: any) => n + f.name.length + f.value.length, 0);
};

// Issue 20, end to end over the fake gateway: one screen first, each part a button that answers only the clicker.
describe('Discord: /sip <code> a part at a time', () => {
  it('answers /sip 503 with one short embed, and each part button answers ephemerally with that part', async () => {
    const first = await interact(chatInput('sip', [{ name: 'query', type: 3, value: '503' }]));
    const data = first.body.data;
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.embeds).toHaveLength(1);
    expectWithinDiscordLimits(data);
    expect(embedText(data)).toBeLessThanOrEqual(1500);
    expect(data.embeds[0].fields.map((f: any) => f.name)).toContain('Do now');
    const parts = customIds(data).filter((id) => /^sip-query:503 [a-z]+$/.test(id));
    expect(parts).toHaveLength(8);
    const message = messageObject(FAKE.channelId, { content: '', embeds: data.embeds, components: data.components });
    for (const id of parts) {
      const cb = await interact(buttonClick(id, message));
      expect(cb.body.type).toBe(4);
      expect(cb.body.data.flags, id).toBe(EPHEMERAL);
      expectWithinDiscordLimits(cb.body.data);
      expect(cb.body.data.embeds[0].title).toMatch(/^503 Service Unavailable: /);
      expect(JSON.stringify(cb.body.data.embeds), id).not.toMatch(/…and \d+ more/);
    }
    const fixes = await interact(buttonClick('sip-query:503 fixes', message));
    const field = fixes.body.data.embeds[0].fields.find((f: any) => f.name === 'How to fix');
    expect(field.value).toMatch(/^1\. Give every route a second target/);
    expect(field.value).toContain('5. Send 503 only when the whole server is unavailable');
  });

  it('opens a related code as its own short answer', async () => {
    const cb = await interact(buttonClick('sip-query:504', messageObject(FAKE.channelId, { content: '' })));
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.embeds[0].title).toBe('504 Server Time-out');
    expect(embedText(cb.body.data)).toBeLessThanOrEqual(1500);
  });

  it('shares the short answer, not the whole card', async () => {
    const cb = await interact(buttonClick('sip-share:503', messageObject(FAKE.channelId, { content: '' })));
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(embedText(cb.body.data)).toBeLessThanOrEqual(1500);
    expect(cb.body.data.embeds[0].fields.map((f: any) => f.name)).not.toContain('Likely causes');
  });
});
