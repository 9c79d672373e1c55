import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUTTON_EXPIRED } from '../../../src/adapters/discord/held-queries.js';
import { startAgainstFake, type Running } from './discord-service.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import type { RecordedRequest } from './fake-discord.js';
import { buttonClick, chatInput, FAKE, messageObject } from './fake-payloads.js';

const TOKEN = 'ingest-token-for-discord-calls';
const EPHEMERAL = 64;
// Two 140-character Call-IDs as a Teams or BroadWorks SBC writes them, alike for their first 120 characters:
// a custom id cut at 100 would open neither, or the wrong one.
const HEAD = '3c2a7e1b5f0d4c0f9e8b7a6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b';
const BUSY_ID = `${HEAD.slice(0, 100)}-busy@sbc1.contoso-telecom.example.com`.padEnd(140, 'x');
const UNAVAILABLE_ID = `${HEAD.slice(0, 100)}-unav@sbc1.contoso-telecom.example.com`.padEnd(140, 'x');
const raw = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/traces/raw', name), 'utf8');

let run: Running;
beforeAll(async () => {
  run = await startAgainstFake({ INGEST_TOKEN: TOKEN });
  const trace = `${raw('02-busy-486.sip').replaceAll('1-ff1a57597bee484b@uac.example.com', BUSY_ID)}\n\n${raw('03-unavailable-503.sip').replaceAll('1-1e708cbbde3f307a@uac.example.com', UNAVAILABLE_ID)}`;
  const res = await fetch(`http://127.0.0.1:${run.service.address.port}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: trace });
  expect(res.status).toBe(200);
});
afterAll(async () => run?.stop());

const callback = (payload: any) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`;
const original = (payload: any) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${FAKE.appId}/${payload.token}/messages/@original`;
const sip = (query: string) => chatInput('sip', [{ name: 'query', type: 3, value: query }]);
const buttons = (data: any): any[] => (data.components ?? []).flatMap((row: any) => row.components);

async function ask(payload: any): Promise<any> {
  run.fake.dispatch('INTERACTION_CREATE', payload);
  const cb = await run.fake.waitFor(callback(payload));
  // Deferred (type 5): the answer is the edit of the original response.
  return cb.body.type === 5 ? (await run.fake.waitFor(original(payload))).body : cb.body.data;
}

describe('Discord: /sip calls with Call-IDs longer than a custom id', () => {
  it('lists both calls with Open buttons within 100 characters, and Open opens exactly the call of its row', async () => {
    // The keeper writes within a second of the ingest: ask until both calls are listed.
    let listed: any;
    for (let i = 0; i < 30 && listed === undefined; i++) {
      const data = await ask(sip('calls 1h'));
      if (JSON.stringify(data).includes(`${BUSY_ID.slice(0, 60)}`) && buttons(data).filter((b) => /^Open \d/.test(b.label)).length === 2) listed = data;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed).toBeDefined();
    expectWithinDiscordLimits(listed);
    const opens = buttons(listed).filter((b) => /^Open \d/.test(b.label));
    for (const b of buttons(listed)) expect(b.custom_id.length).toBeLessThanOrEqual(100);
    const busy = opens.find((b) => / 486$/.test(b.label));
    expect(busy.custom_id).toMatch(/^sip-query~[A-Za-z0-9_-]{12}$/);

    const click = buttonClick(busy.custom_id, messageObject(FAKE.channelId, { content: '', embeds: listed.embeds, components: listed.components, flags: EPHEMERAL }));
    const opened = await ask(click);
    const text = JSON.stringify(opened.embeds);
    expect(text).toContain('486 Busy Here');
    expect(text).not.toContain('503');
    expect(text).toContain('-busy@sbc1.contoso-telecom');
  });

  it('answers a click on a token no longer held with a short private note to run /sip calls again', async () => {
    const click = buttonClick('sip-query~AAAAAAAAAAAA', messageObject(FAKE.channelId, { content: '', embeds: [], components: [] }));
    run.fake.dispatch('INTERACTION_CREATE', click);
    const cb = await run.fake.waitFor(callback(click));
    expect(cb.body.data).toMatchObject({ content: BUTTON_EXPIRED, flags: EPHEMERAL });
    expect(BUTTON_EXPIRED).toContain('run /sip calls again');
    const share = buttonClick('sip-share~AAAAAAAAAAAA', messageObject(FAKE.channelId, { content: '', embeds: [], components: [] }));
    run.fake.dispatch('INTERACTION_CREATE', share);
    expect((await run.fake.waitFor(callback(share))).body.data).toMatchObject({ content: BUTTON_EXPIRED, flags: EPHEMERAL });
  });
});
