import { describe, expect, it } from 'vitest';
import { answerMessage } from '../../../src/adapters/slack/slack-messages.js';
import { knowledgeAnswer } from '../../../src/commands/knowledge-answer.js';
import { codeAnswer } from '../../../src/core/card/code-answer.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { expectWithinSlackLimits, textObjects } from './block-limits.js';

const kb = loadKnowledge();
const engine = createEngine(kb);
const registered = [1, 2, 3, 4, 5, 6].flatMap((c) => kb.codesInClass(c)).map((e) => e.code);
const unregistered = kb.data.unregistered.map((u) => u.code);
/** Every character a reader sees: header, sections, fields, context and button labels. */
const textLength = (blocks: unknown): number => textObjects(blocks).reduce((n, t) => n + t.length, 0);
type Block = { type: string; elements?: { action_id: string; value?: string; text: { text: string } }[] };
const buttons = (blocks: unknown): NonNullable<Block['elements']> => (blocks as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

// Issue 20: the first /sip <code> answer fits one screen, private or shared, and every part is a button.
describe('Slack: the first answer to /sip <code>', () => {
  it.each(registered)('/sip %i is at most 1,500 characters in at most 8 blocks, headline as notification text', (code) => {
    const card = knowledgeAnswer(engine, String(code));
    const entry = kb.code(code);
    for (const m of [answerMessage(card, { share: String(code) }), answerMessage(card, { askedBy: 'U0ALICE', query: String(code) })]) {
      expectWithinSlackLimits(m);
      expect(m.blocks.length).toBeLessThanOrEqual(8);
      expect(textLength(m.blocks)).toBeLessThanOrEqual(1500);
      expect(m.text).toBe(`${code} ${entry?.reason}: ${entry?.summary}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      // Each part the code has, and each related code, is a button asking for it.
      const values = buttons(m.blocks).map((b) => b.value);
      const answer = codeAnswer(kb, entry ?? (undefined as never));
      for (const part of answer.sections.filter((s) => s.id !== 'related')) expect(values).toContain(part.query);
      for (const r of answer.related) expect(values).toContain(r.query);
      expect(JSON.stringify(m.blocks)).not.toMatch(/…and \d+ more/);
    }
  });

  it.each(unregistered)('/sip %i (unregistered) fits the same budget', (code) => {
    const m = answerMessage(knowledgeAnswer(engine, String(code)), { share: String(code) });
    expectWithinSlackLimits(m);
    expect(m.blocks.length).toBeLessThanOrEqual(8);
    expect(textLength(m.blocks)).toBeLessThanOrEqual(1500);
  });

  it('every part of every code opens whole, within Slack limits, never cut to "…and N more"', () => {
    for (const code of registered) {
      for (const part of codeAnswer(kb, kb.code(code) ?? (undefined as never)).sections) {
        const m = answerMessage(knowledgeAnswer(engine, part.query), { share: part.query });
        expectWithinSlackLimits(m);
        expect(JSON.stringify(m.blocks), part.query).not.toMatch(/…and \d+ more/);
        for (const s of part.sections) for (const item of s.items) expect(textObjects(m.blocks).join('\n').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toContain(item.slice(0, 60));
      }
    }
  });

  it('puts the part buttons and Share in one row and the related codes in another, ids unique in the message', () => {
    const m = answerMessage(knowledgeAnswer(engine, '503'), { share: '503' });
    const rows = (m.blocks as Block[]).filter((b) => b.type === 'actions');
    expect(rows.map((r) => r.elements?.map((e) => e.text.text))).toEqual([
      ['Meaning', 'Causes', 'Checks', 'Fixes', 'Retry & failover', 'Platform notes', 'Examples', 'Sources', 'Share in channel'],
      ['500 Server Internal Error', '504 Server Time-out', '480 Temporarily Unavailable', '486 Busy Here', '408 Request Timeout'],
    ]);
    const ids = buttons(m.blocks).map((b) => b.action_id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
