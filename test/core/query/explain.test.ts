import { describe, expect, it } from 'vitest';
import { explainQuery } from '../../../src/core/query/explain.js';
import { parseQuery } from '../../../src/core/query/parse-query.js';
import { renderCardText } from '../../../src/core/card/render-text.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

const kb = loadKnowledge();
const explain = (q: string) => explainQuery(kb, q);

describe('query parsing', () => {
  it.each([
    ['503', { kind: 'code', code: 503 }],
    ['/sip 503', { kind: 'code', code: 503 }],
    ['4xx', { kind: 'class', cls: 4 }],
    ['5', { kind: 'class', cls: 5 }],
    ['q850 17', { kind: 'q850', cause: 17 }],
    ['cause 17', { kind: 'q850', cause: 17 }],
    ['Q.850 34', { kind: 'q850', cause: 34 }],
    ['warning 304', { kind: 'warning', code: 304 }],
    ['560403', { kind: 'teams', code: '560403' }],
    ['busy', { kind: 'search', text: 'busy' }],
    ['', { kind: 'usage', text: '' }],
    ['help', { kind: 'usage', text: 'help' }],
  ])('reads %j', (input, expected) => {
    expect(parseQuery(input)).toEqual(expected);
  });
});

describe('explain', () => {
  it('answers a code with its card, keyed on the code with the registered phrase', () => {
    const card = explain('503');
    expect(card).toMatchObject({ kind: 'code', code: 503, reason: 'Service Unavailable', tone: 'danger' });
    expect(card.sections.map((s) => s.title)).toEqual(expect.arrayContaining(['Likely causes', 'What to check', 'How to fix', 'Retry and failover']));
    expect(card.links[0]?.url).toBe('https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4');
    expect(card.sections.some((s) => s.title.startsWith('Worked example'))).toBe(true);
  });

  it('answers a class with every registered code in it', () => {
    const card = explain('4xx');
    expect(card.kind).toBe('class');
    expect(card.sections[0]?.items.length).toBe(kb.codesInClass(4).length);
    expect(card.sections[0]?.items[0]).toMatch(/^400 Bad Request/);
  });

  it('searches by phrase and keyword, best match first', () => {
    expect(explain('busy').sections[0]?.items[0]).toMatch(/^486 Busy Here/);
    expect(explain('not acceptable').sections[0]?.items.slice(0, 3).join('\n')).toMatch(/488 Not Acceptable Here|606 Not Acceptable/);
    expect(explain('timeout').sections[0]?.items.slice(0, 3).join('\n')).toMatch(/408 Request Timeout/);
  });

  it('decodes a Q.850 cause with its SIP mapping', () => {
    const card = explain('q850 17');
    expect(card.title).toBe('Q.850 cause 17: User busy');
    expect(card.fields.find((f) => f.label.startsWith('Sent as SIP'))?.value).toBe('486 Busy Here');
  });

  it('decodes a Warning code', () => {
    expect(explain('warning 304').title).toMatch(/^Warning 304: Media type not available/);
  });

  it('labels an unregistered code and falls back to its class', () => {
    const card = explain('499');
    expect(card.kind).toBe('unregistered');
    expect(card.fields[0]?.value).toMatch(/^No: not in the IANA/);
    expect(card.fields.find((f) => f.label === 'Receivers treat it as')?.value).toBe('400 Bad Request');
    expect(explain('478').title).toMatch(/^478 /);
    expect(explain('478').fields.find((f) => f.label === 'Sent by')?.value).toMatch(/Kamailio/i);
  });

  it('answers nonsense, empty input and impossible codes with the usage card', () => {
    for (const q of ['', 'help']) expect(explain(q)).toMatchObject({ kind: 'usage' });
    for (const q of ['zzzqqq', '999', '\u0000\u0001binary', 'x'.repeat(10_000)]) {
      const card = explain(q);
      expect(card.kind, q.slice(0, 10)).toBe('usage');
      expect(card.isError).toBe(true);
    }
    expect(explain('q850 200').kind).toBe('usage');
  });

  it('renders every code card as text without losing the title', () => {
    for (const entry of kb.data.codes) {
      const text = renderCardText(explain(String(entry.code)));
      expect(text.split('\n')[0]).toBe(`${entry.code} ${entry.reason}`);
    }
  });
});
