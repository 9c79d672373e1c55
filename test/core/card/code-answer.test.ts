import { describe, expect, it } from 'vitest';
import { CODE_SECTIONS, codeAnswer, codeAnswerCard, codeAnswerFor, codeSectionCard, codeSectionFromWord } from '../../../src/core/card/code-answer.js';
import { codeCard } from '../../../src/core/card/code-card.js';
import { renderCardText } from '../../../src/core/card/render-text.js';
import { explainQuery } from '../../../src/core/query/explain.js';
import { parseQuery } from '../../../src/core/query/parse-query.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

const kb = loadKnowledge();
const codes = [1, 2, 3, 4, 5, 6].flatMap((c) => kb.codesInClass(c));
const entry = (code: number) => {
  const e = kb.code(code);
  if (e === undefined) throw new Error(`no ${code}`);
  return e;
};

describe('the code answer model', () => {
  it('leads 503 with the headline, the top check and fix, and the essentials', () => {
    const a = codeAnswer(kb, entry(503));
    expect(a.headline).toBe(`503 Service Unavailable: ${entry(503).summary}`);
    expect(a.doNow).toEqual([`Check: ${entry(503).checks[0]}`, `Fix: ${entry(503).fixes[0]}`]);
    expect(a.essentials.map((f) => f.label)).toEqual(['Class', 'Who fixes it', 'Retry', 'Defined in']);
    expect(a.link.url).toBe('https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4');
    expect(a.sections.map((s) => s.id)).toEqual(['meaning', 'causes', 'checks', 'fixes', 'retry', 'platforms', 'examples', 'related', 'sources']);
    expect(a.sections.find((s) => s.id === 'fixes')?.query).toBe('503 fixes');
    expect(a.related.map((r) => r.query)).toEqual(['500', '504', '480', '486', '408']);
    expect(a.related[0]).toEqual({ label: '500 Server Internal Error', query: '500', role: 'related' });
  });

  it('takes the do-now lines a caller knows better', () => {
    expect(codeAnswer(kb, entry(503), { doNow: ['Look at peer X'] }).doNow).toEqual(['Look at peer X']);
  });

  it('loses nothing: every section of the full card is in exactly one part', () => {
    for (const e of codes) {
      const full = codeCard(kb, e).sections;
      const parts = codeAnswer(kb, e).sections.flatMap((s) => s.sections);
      for (const s of full) expect(parts.filter((p) => p === s || (p.title === s.title && p.items.join() === s.items.join())).length, `${e.code} ${s.title}`).toBe(1);
      // The meaning and the sources, once fields and a footer, are parts too.
      expect(parts.some((p) => p.title === 'Meaning' && p.text === e.meaning)).toBe(true);
    }
  });

  it('makes a first card with the headline, one Do now section and a button per part and related code', () => {
    const card = codeAnswerCard(codeAnswer(kb, entry(503)));
    expect(card).toMatchObject({ kind: 'code', code: 503, title: '503 Service Unavailable', headline: expect.stringMatching(/^503 Service Unavailable: /) });
    expect(card.sections.map((s) => s.title)).toEqual(['Do now']);
    expect(card.footer).toBeUndefined();
    const actions = card.actions ?? [];
    expect(actions.filter((a) => a.role === 'section').map((a) => a.query)).toEqual(['503 meaning', '503 causes', '503 checks', '503 fixes', '503 retry', '503 platforms', '503 examples', '503 sources']);
    expect(actions.filter((a) => a.role === 'related').map((a) => a.query)).toEqual(['500', '504', '480', '486', '408']);
  });

  it('opens one part whole, with buttons for the others', () => {
    const a = codeAnswer(kb, entry(503));
    const card = codeSectionCard(a, 'retry');
    expect(card?.title).toBe('503 Service Unavailable: Retry & failover');
    expect(card?.sections).toEqual(codeCard(kb, entry(503)).sections.filter((s) => s.title === 'Retry and failover'));
    expect(card?.actions?.map((x) => x.query)).not.toContain('503 retry');
    expect(codeSectionCard(a, 'related')?.actions?.filter((x) => x.role === 'related')).toHaveLength(5);
  });

  it('answers a part the code does not have with the first card, saying so', () => {
    const card = codeAnswerFor(kb, 100, 'platforms');
    expect(card?.sections).toBeDefined();
    const none = [100, 180, 200, 404].map((c) => ({ c, ids: codeAnswer(kb, entry(c)).sections.map((s) => s.id) })).find((x) => !x.ids.includes('examples'));
    expect(none).toBeDefined();
    const fallback = codeAnswerFor(kb, none?.c ?? 0, 'examples');
    expect(fallback?.title).toBe(`${none?.c} ${entry(none?.c ?? 0).reason}`);
    expect(fallback?.footer).toMatch(/has no examples/);
  });

  it('has all its sections reachable by the words people type', () => {
    for (const s of CODE_SECTIONS) expect(codeSectionFromWord(s.id)).toBe(s.id);
    expect(codeSectionFromWord('fix')).toBe('fixes');
    expect(codeSectionFromWord('Failover')).toBe('retry');
    expect(codeSectionFromWord('banana')).toBeUndefined();
  });
});

describe('parts by text', () => {
  it('reads "503 fixes" as a part and other words after a code as before', () => {
    expect(parseQuery('503 fixes')).toEqual({ kind: 'code', code: 503, section: 'fixes' });
    expect(parseQuery('/sip 486 how to fix')).toEqual({ kind: 'code', code: 486, section: 'fixes' });
    expect(parseQuery('503 banana')).toEqual({ kind: 'code', code: 503 });
  });

  it('keeps explain of a code the complete card, and explains a part with that part', () => {
    expect(explainQuery(kb, '503')).toEqual(codeCard(kb, entry(503)));
    expect(explainQuery(kb, '503 checks').sections.map((s) => s.title)).toEqual(['What to check']);
  });

  it('tells the terminal which command opens each part, a line each for parts and related codes', () => {
    const text = renderCardText(codeAnswerCard(codeAnswer(kb, entry(503))), { width: 100 });
    expect(text).toMatch(/^More: \/sip 503 meaning · \/sip 503 causes · /m);
    expect(text).toContain('/sip 503 fixes');
    expect(text).toMatch(/^Related: \/sip 500 \(Server Internal Error\) · /m);
    // Commands are never broken across lines.
    for (const line of text.split('\n')) expect(line).not.toMatch(/\/sip$/);
  });
});
