import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEmbed, TONE_COLOUR } from '../../../src/adapters/discord/render-embeds.js';
import { renderMessages } from '../../../src/adapters/discord/render-messages.js';
import type { Card } from '../../../src/core/card/card.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { expectWithinDiscordLimits } from './discord-limits.js';
import { LINKED_CARD, WORST_LINK } from '../example-links-card.js';
import { factsFromCard } from '../card-facts.js';
import { factsFromEmbed } from './embed-facts.js';

const kb = loadKnowledge();
const engine = createEngine(kb);
const TRACES = join(import.meta.dirname, '../../fixtures/traces');
const traceFiles = readdirSync(TRACES).flatMap((dir) =>
  readdirSync(join(TRACES, dir))
    .filter((f) => !f.endsWith('.expected.json'))
    .map((f) => join(dir, f)),
);

describe('Discord embeds from cards', () => {
  it('links example calls as [ladder](url), dropping the last links, never a row, to keep a field within 1024', () => {
    const embed = renderEmbed(LINKED_CARD);
    expectWithinDiscordLimits({ embeds: [embed] });
    const field = embed.fields?.find((f) => f.name === 'Example calls');
    expect(field?.value.length).toBeLessThanOrEqual(1024);
    expect(field?.value.split(`[ladder](${WORST_LINK})`)).toHaveLength(2);
    for (const row of LINKED_CARD.sections[0]?.items ?? []) expect(field?.value).toContain(row);
  });

  it('draws a code card with code and reason in the title, colour by class, meaning, owner, retry and the RFC link', () => {
    const card = engine.explain('503');
    const embed = renderEmbed(card);
    expect(embed.title).toBe('503 Service Unavailable');
    expect(embed.color).toBe(TONE_COLOUR.danger);
    expect(embed.url).toBe('https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4');
    expect(embed.description).toContain(kb.code(503)?.summary);
    expect(embed.description).toContain('A temporary refusal that is about the server');
    expect(embed.fields?.find((f) => f.name === 'Who fixes it')).toMatchObject({ value: 'provider/trunk, proxy/SBC, callee', inline: true });
    expect(embed.fields?.find((f) => f.name === 'Retry')?.value).toBe('Elsewhere: another target or route');
    expect(embed.fields?.find((f) => f.name === 'Likely causes')?.value).toMatch(/^1\. The trunk or carrier is at its limit/);
    // Issue 20: the RFC link is clickable once, as the title's URL; the footer no longer repeats it as dead text.
    expect(embed.footer?.text).not.toContain('https://');
    // The meaning is in the description, not repeated as a field.
    expect(embed.fields?.some((f) => f.name === 'Meaning')).toBe(false);
  });

  it('colours each response class differently', () => {
    const colours = [180, 200, 302, 486, 503, 603].map((c) => renderEmbed(engine.explain(String(c))).color);
    expect(new Set(colours).size).toBe(6);
  });

  it.each(kb.data.codes.map((c) => c.code))('keeps the card for %i within every Discord limit, alone and sharing a message', (code) => {
    const card = engine.explain(String(code));
    for (const message of [...renderMessages([card]), ...renderMessages([card, card, card])]) expectWithinDiscordLimits(message);
  });

  it.each(traceFiles)('keeps the triage of %s within every Discord limit', (file) => {
    const answer = engine.triage(readFileSync(join(TRACES, file), 'utf8'));
    const messages = renderMessages([answer.summary, ...answer.calls]);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expectWithinDiscordLimits(m);
    expect(messages[0]?.embeds[0]?.title).toBe(answer.summary.title);
  });

  it('cuts an oversized card at line boundaries and says how much was left out', () => {
    const long = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}: ${'word '.repeat(30).trim()}`);
    const card: Card = {
      kind: 'triage-call',
      title: `INVITE → 503 ${'Service Unavailable '.repeat(20)}`,
      summary: 'x'.repeat(5000),
      tone: 'danger',
      fields: [{ label: 'Call-ID', value: 'a'.repeat(2000), inline: true }],
      findings: Array.from({ length: 30 }, (_, i) => ({ severity: 'error' as const, title: `Finding ${i + 1}`, detail: 'd'.repeat(300), evidence: long(20, 'evidence') })),
      sections: Array.from({ length: 30 }, (_, i) => ({ title: `Section ${i + 1}`, items: long(50, 'item'), ordered: true })),
      links: [{ label: 'RFC 3261 §21.5.4', url: 'https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4' }],
      footer: `Sources: ${'source; '.repeat(400)}`,
    };
    const [message, ...more] = renderMessages([card]);
    expect(more).toEqual([]);
    expectWithinDiscordLimits(message);
    const embed = message?.embeds[0];
    expect(embed?.title?.length).toBeLessThanOrEqual(256);
    expect(embed?.title).toMatch(/…$/);
    const fields = embed?.fields ?? [];
    const finding = fields.find((f) => f.name === '✖ Finding 1');
    // 1 detail line + 20 evidence lines; the count names exactly the lines not shown.
    const shown = finding?.value.split('\n') ?? [];
    const omitted = Number(/^…and (\d+) more$/.exec(shown[shown.length - 1] ?? '')?.[1]);
    expect(shown.length - 1 + omitted).toBe(21);
    // What did not fit is counted and named in a last field, not dropped silently: 1 field, 30 findings, 30 sections.
    const last = fields[fields.length - 1];
    expect(last?.name).toBe(`…and ${61 - (fields.length - 1)} more`);
    expect(last?.value).toMatch(/^✖ Finding \d+, ✖ Finding/);
  });

  it('never exceeds 25 fields, however many sections a card has', () => {
    const card: Card = {
      kind: 'code',
      title: '599 Test',
      summary: 'Many short sections.',
      tone: 'danger',
      fields: [],
      sections: Array.from({ length: 60 }, (_, i) => ({ title: `S${i}`, items: ['one line'] })),
      links: [],
    };
    const embed = renderEmbed(card);
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields?.[24]).toEqual({ name: '…and 36 more', value: expect.stringMatching(/^S24, S25, .*S59$/) });
  });

  it.each(['503', '486', '401', '488', '408', '603', '477'])('shows the same facts as the card for /sip %s', (q) => {
    const card = engine.explain(q);
    expect(factsFromEmbed(renderEmbed(card))).toEqual(factsFromCard(card));
  });

  it('shows the same facts as the cards for a triaged trace', () => {
    const answer = engine.triage(readFileSync(join(TRACES, 'raw/15-kamailio-503.sip'), 'utf8'));
    const embeds = renderMessages([answer.summary, ...answer.calls]).flatMap((m) => m.embeds);
    expect(embeds.map(factsFromEmbed)).toEqual([answer.summary, ...answer.calls].map(factsFromCard));
  });
});
