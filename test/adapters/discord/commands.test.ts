import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/adapters/discord/commands.js';

// Discord's application command rules (discord.com/developers/docs/interactions/application-commands):
// chat-input names lowercase 1-32 of [-_\p{L}\p{N}], descriptions 1-100, at most 25 options and choices.
const CHAT_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

describe('the registered command set', () => {
  it('follows Discord rules for names, descriptions and options', () => {
    for (const c of COMMANDS) {
      if (c.type === 1) {
        expect(c.name).toMatch(CHAT_NAME);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(100);
      } else expect(c.name.length).toBeLessThanOrEqual(32);
      const options: any[] = (c as any).options ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      for (const o of options) {
        expect(o.name).toMatch(CHAT_NAME);
        expect(o.description.length).toBeLessThanOrEqual(100);
      }
      // Required options come before optional ones, as Discord requires.
      const firstOptional = options.findIndex((o) => o.required !== true);
      if (firstOptional >= 0) expect(options.slice(firstOptional).every((o) => o.required !== true)).toBe(true);
    }
  });

  it('has /sip, /sip-triage, /sip-auto and the message menu, once each', () => {
    expect(COMMANDS.map((c) => `${c.type}:${c.name}`)).toEqual(['1:sip', '1:sip-triage', '1:sip-auto', '3:Triage SIP trace']);
  });

  it('limits /sip-auto to people who manage the channel', () => {
    expect(COMMANDS.find((c) => c.name === 'sip-auto')?.default_member_permissions).toBe('16');
  });
});
