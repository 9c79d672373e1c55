import { describe, expect, it } from 'vitest';
import { actionRows, type ActionRow } from '../../../src/adapters/discord/action-rows.js';
import { HeldQueries } from '../../../src/adapters/discord/held-queries.js';
import { embedLength } from '../../../src/adapters/discord/render-embeds.js';
import { renderMessages } from '../../../src/adapters/discord/render-messages.js';
import { shareRow } from '../../../src/adapters/discord/sip-command.js';
import { knowledgeAnswer } from '../../../src/commands/knowledge-answer.js';
import { codeAnswer } from '../../../src/core/card/code-answer.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { expectWithinDiscordLimits } from './discord-limits.js';

const kb = loadKnowledge();
const engine = createEngine(kb);
const registered = [1, 2, 3, 4, 5, 6].flatMap((c) => kb.codesInClass(c)).map((e) => e.code);
const unregistered = kb.data.unregistered.map((u) => u.code);

/** The message /sip answers with privately: the embeds and the rows, Share last (as sip-command.ts builds it). */
function answer(query: string) {
  const card = knowledgeAnswer(engine, query);
  const messages = renderMessages([card]);
  const queries = new HeldQueries();
  const components = [...actionRows([card], queries, 4), shareRow(queries, query)].filter((r): r is ActionRow => r !== undefined);
  return { messages, components, body: { ...messages[0], components } };
}
const labels = (components: ActionRow[]): string[] => components.flatMap((r) => r.components.map((c) => ('label' in c ? (c.label ?? '') : '')));

// Issue 20: one embed within one screen's budget, a button per part (custom_id), related codes as buttons.
describe('Discord: the first answer to /sip <code>', () => {
  it.each(registered)('/sip %i is one embed of at most 1,500 characters with a button per part', (code) => {
    const a = answer(String(code));
    expect(a.messages).toHaveLength(1);
    expect(a.messages[0]?.embeds).toHaveLength(1);
    expectWithinDiscordLimits(a.body);
    const embed = a.messages[0]?.embeds[0] ?? {};
    expect(embedLength(embed) + labels(a.components).join('').length).toBeLessThanOrEqual(1500);
    // No Sources wall and no dead link in the footer: the RFC is the title's link.
    expect(embed.footer).toBeUndefined();
    expect(embed.url).toMatch(/^https:\/\/www\.rfc-editor\.org\//);
    const ids = a.components.flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    const model = codeAnswer(kb, kb.code(code) ?? (undefined as never));
    for (const part of model.sections.filter((s) => s.id !== 'related')) expect(ids).toContain(`sip-query:${part.query}`);
    for (const r of model.related) expect(ids).toContain(`sip-query:${r.query}`);
    expect(JSON.stringify(embed)).not.toMatch(/…and \d+ more/);
  });

  it.each(unregistered)('/sip %i (unregistered) fits the same budget', (code) => {
    const a = answer(String(code));
    expectWithinDiscordLimits(a.body);
    expect(embedLength(a.messages[0]?.embeds[0] ?? {}) + labels(a.components).join('').length).toBeLessThanOrEqual(1500);
  });

  it('every part of every code opens as one embed, whole, within Discord limits', () => {
    for (const code of registered) {
      for (const part of codeAnswer(kb, kb.code(code) ?? (undefined as never)).sections) {
        const a = answer(part.query);
        expect(a.messages, part.query).toHaveLength(1);
        expectWithinDiscordLimits(a.body);
        const text = JSON.stringify(a.messages[0]?.embeds);
        expect(text, part.query).not.toMatch(/…and \d+ more/);
        for (const s of part.sections) expect(a.messages[0]?.embeds[0]?.fields?.some((f) => f.name === s.title), `${part.query}: ${s.title}`).toBe(true);
      }
    }
  });

  it('gives parts their rows and related codes a row of their own, Share last', () => {
    const a = answer('503');
    expect(a.components.map((r) => r.components.map((c) => ('label' in c ? c.label : '')))).toEqual([
      ['Meaning', 'Causes', 'Checks', 'Fixes', 'Retry & failover'],
      ['Platform notes', 'Examples', 'Sources'],
      ['500 Server Internal Error', '504 Server Time-out', '480 Temporarily Unavailable', '486 Busy Here', '408 Request Timeout'],
      ['Share'],
    ]);
  });

  it('shows a long part (503 retry and failover) whole, continued over several fields', () => {
    const fields = answer('503 retry').messages[0]?.embeds[0]?.fields ?? [];
    expect(fields.filter((f) => f.name.startsWith('Retry and failover')).length).toBeGreaterThan(1);
    expect(fields.map((f) => f.value).join('\n')).toContain('Cisco CUBE tries the next route');
  });
});
