import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutLines, fitItems } from '../../../src/adapters/slack/block-text.js';
import { renderCard, renderCards } from '../../../src/adapters/slack/render-blocks.js';
import { answerMessage, triageReply } from '../../../src/adapters/slack/slack-messages.js';
import { triageOutcome } from '../../../src/app/triage-pool.js';
import type { Card } from '../../../src/core/card/card.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { allText, expectWithinSlackLimits } from './block-limits.js';

const kb = loadKnowledge();
const engine = createEngine(kb);
const TRACES = join(import.meta.dirname, '../../fixtures/traces');

describe('Block Kit renderer', () => {
  it('renders the 503 card: header with class emoji, meaning, fields, numbered causes, RFC link, sources', () => {
    const m = renderCard(engine.explain('503'));
    expectWithinSlackLimits(m);
    const header = m.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe('header');
    expect(header.text.text).toBe('🔥 503 Service Unavailable');
    const text = allText(m);
    expect(text).toContain('*Who fixes it*');
    expect(text).toContain('*Retry*\nElsewhere: another target or route');
    expect(text).toMatch(/\*Likely causes\*\n1\. The trunk or carrier is at its limit/);
    expect(text).toContain('<https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4|RFC 3261 §21.5.4>');
    expect(m.blocks.at(-1)).toMatchObject({ type: 'context' });
    expect(m.text).toMatch(/^503 Service Unavailable: /);
  });

  it('keeps every card of the knowledge base within Slack limits', () => {
    const queries = [...kb.data.codes.map((c) => String(c.code)), '1xx', '2xx', '3xx', '4xx', '5xx', '6xx', 'busy', 'q850 17', 'warning 305', '560403', '', 'zzzz', '478'];
    for (const q of queries) {
      const card = engine.explain(q);
      const m = answerMessage(card, { share: q });
      expectWithinSlackLimits(m);
      if (card.code !== undefined) expect((m.blocks[0] as { text: { text: string } }).text.text).toContain(String(card.code));
    }
  });

  it('keeps the triage of every Slack-pasted fixture within limits, summary and call cards alike', () => {
    for (const f of readdirSync(join(TRACES, 'slack')).filter((n) => n.endsWith('.txt'))) {
      const outcome = triageOutcome(engine, { kind: 'text', text: readFileSync(join(TRACES, 'slack', f), 'utf8') }, Date.now());
      expect(outcome.messages).toBeGreaterThan(0);
      expectWithinSlackLimits(triageReply(outcome, '1.2', 'message'));
      for (const card of outcome.calls) expectWithinSlackLimits(renderCard(card));
    }
  });

  it('escapes SIP angle brackets and cannot be made to ping a channel', () => {
    const outcome = triageOutcome(engine, { kind: 'text', text: readFileSync(join(TRACES, 'slack/02-busy-486.txt'), 'utf8') }, Date.now());
    const card: Card = { ...outcome.summary, summary: 'From: <sip:alice@example.com> <!channel> & co' };
    const text = allText(renderCard(card));
    expect(text).toContain('&lt;sip:alice@example.com&gt; &lt;!channel&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });

  it('cuts an enormous card at line boundaries with "…and N more" instead of breaking a limit', () => {
    const long = (n: number): string => `${'word '.repeat(n)}end`;
    const card: Card = {
      kind: 'triage-call',
      title: `INVITE → 503 ${long(60)}`,
      summary: long(1500),
      tone: 'danger',
      code: 503,
      fields: [...Array.from({ length: 25 }, (_, i) => ({ label: `Field ${i}`, value: long(600), inline: true })), { label: 'Meaning', value: long(2000) }],
      findings: Array.from({ length: 40 }, (_, i) => ({ severity: 'error' as const, title: `Finding ${i}`, detail: long(40), evidence: [`message #${i}, line 3, Via: <sip:x@10.0.0.${i}>`] })),
      sections: Array.from({ length: 80 }, (_, i) => ({ title: `Section ${i}`, items: Array.from({ length: 200 }, (_, j) => `item ${j} ${long(20)}`), ordered: true })),
      links: [{ label: 'RFC 3261 §21.5.4', url: 'https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4' }],
      footer: long(2000),
    };
    const m = answerMessage(card, { share: '503' });
    expectWithinSlackLimits(m);
    expect(m.blocks).toHaveLength(50);
    expect(m.blocks.at(-1)).toMatchObject({ type: 'actions' });
    const text = allText(m);
    expect(text).toMatch(/…and \d+ more sections not shown/);
    expect(text).toMatch(/\n…and \d+ more$/m);
    expect((m.blocks[0] as { text: { text: string } }).text.text.endsWith('…')).toBe(true);
  });

  it('carries a Share query in its button whole, and leaves the button out rather than cut a query past Slack\'s 2,000', () => {
    const card = engine.explain('503');
    const fits = `calls call-id ${'7'.repeat(1970)}@sbc.example.com`.slice(0, 2000);
    const values = (q: string) => answerMessage(card, { share: q }).blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('value' in e ? e.value : undefined)) : []));
    expect(values(fits)).toEqual([fits]);
    expect(values(`${fits}x`)).toEqual([]);
  });

  it('fits lists by whole items and says how many were left out', () => {
    const items = Array.from({ length: 10 }, (_, i) => `${i + 1}. ${'x'.repeat(90)}`);
    const out = fitItems(items, 400);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out.split('\n').slice(0, -1).every((l) => l.length === 93)).toBe(true);
    expect(out.split('\n')).toHaveLength(5);
    expect(out.endsWith('\n…and 6 more')).toBe(true);
    expect(cutLines('short\ntext', 100)).toBe('short\ntext');
    expect(cutLines(`${'y'.repeat(50)}\n${'z'.repeat(50)}`, 70)).toBe(`${'y'.repeat(50)}\n…and 1 more line`);
  });

  it('puts several cards in one message without passing 50 blocks', () => {
    const cards = Array.from({ length: 12 }, () => engine.explain('503'));
    const m = renderCards(cards, 'Daily digest');
    expectWithinSlackLimits(m);
    expect(allText(m)).toMatch(/…and \d+ more cards not shown/);
    expect(m.text).toBe('Daily digest');
  });

  it('renders card actions as buttons carrying their query, within the 25 per block and 2000 per value', () => {
    const actions = [
      { label: 'A query far too long for a button value', query: `stats ${'x'.repeat(2100)}` },
      ...Array.from({ length: 40 }, (_, i) => ({ label: `${500 + i} ${'a very long label '.repeat(6)}`, query: String(500 + i) })),
    ];
    const card: Card = { ...engine.explain('503'), actions };
    const m = answerMessage(card, { share: '503' });
    expectWithinSlackLimits(m);
    const blocks = m.blocks.filter((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] }[];
    expect(blocks).toHaveLength(2);
    const followUps = blocks[0]?.elements ?? [];
    expect(followUps).toHaveLength(25);
    // The one that cannot fit is left out, never cut into another query.
    expect(followUps[0]).toMatchObject({ action_id: 'sip_query:0', value: '500' });
    expect(followUps.every((e) => e.value.length <= 2000 && /^sip_query:\d+$/.test(e.action_id))).toBe(true);
    expect(blocks[1]?.elements[0]).toMatchObject({ action_id: 'sip_share', value: '503' });
  });

  it('keeps a many-card message with actions within 50 blocks', () => {
    const cards = Array.from({ length: 12 }, (_, i): Card => ({ ...engine.explain(String(480 + i)), actions: [{ label: 'stats', query: 'stats 7d' }] }));
    expectWithinSlackLimits(renderCards(cards, 'digest'));
  });
});
