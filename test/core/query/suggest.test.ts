import { describe, expect, it } from 'vitest';
import { explainQuery } from '../../../src/core/query/explain.js';
import { suggest } from '../../../src/core/query/suggest.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

const kb = loadKnowledge();
const labels = (q: string, limit = 25): string[] => suggest(kb, q, { limit }).map((s) => s.label);
const queries = (q: string, limit = 25): string[] => suggest(kb, q, { limit }).map((s) => s.query);

describe('suggest: completions for a half-typed /sip query', () => {
  it('completes digits to the codes that start with them, in order', () => {
    expect(labels('50')).toEqual([
      '500 Server Internal Error',
      '501 Not Implemented',
      '502 Bad Gateway',
      '503 Service Unavailable',
      '504 Server Time-out',
      '505 Version Not Supported',
    ]);
    expect(queries('48').slice(0, 3)).toEqual(['480', '481', '482']);
  });

  it('offers the class first for a single digit', () => {
    expect(suggest(kb, '6')[0]).toEqual({ label: '6xx Global Failure', query: '6xx' });
  });

  it('completes reason-phrase words by prefix, best field first', () => {
    expect(queries('bus').slice(0, 2)).toEqual(['486', '600']);
    expect(queries('not acc')).toEqual(['406', '488', '606']);
    expect(queries('temporarily un')).toEqual(['480']);
  });

  it('finds codes by keyword as well as by reason phrase', () => {
    expect(queries('codec')).toEqual(expect.arrayContaining(['488']));
  });

  it('completes Q.850 causes and warn-codes with the query that answers them', () => {
    expect(suggest(kb, 'q850 17')).toEqual([{ label: 'Q.850 cause 17: User busy', query: 'q850 17' }]);
    expect(queries('warn 30')).toContain('warning 305');
  });

  it('names codes seen on the wire that IANA never registered', () => {
    const unregistered = kb.data.unregistered.find((u) => !kb.isRegistered(u.code));
    expect(unregistered).toBeDefined();
    expect(labels(String(unregistered?.code))[0]).toBe(`${unregistered?.code} ${unregistered?.reason} (not registered)`);
  });

  it('falls back to the ranked search for a sentence', () => {
    expect(queries('my calls get a busy signal')[0]).toBe('486');
  });

  it('offers common failures for an empty box and nothing for nonsense', () => {
    expect(queries('').slice(0, 3)).toEqual(['401', '403', '404']);
    expect(suggest(kb, 'zzzz')).toEqual([]);
  });

  it('keeps to the limit and the label length a platform allows', () => {
    expect(suggest(kb, '4', { limit: 25 })).toHaveLength(25);
    for (const s of suggest(kb, 'q850', { maxLabel: 20 })) expect(s.label.length).toBeLessThanOrEqual(20);
  });

  it('suggests only queries that /sip answers with a real card', () => {
    for (const q of ['', '4', '50', 'bus', 'q850', 'warn', 'auth', 'time', 'codec', '7']) {
      for (const s of suggest(kb, q)) expect(explainQuery(kb, s.query).isError).not.toBe(true);
    }
  });
});

describe('suggestions for the parts of a code (issue 20)', () => {
  const kb2 = loadKnowledge();
  it('offers the parts of a code once a space follows it, narrowed by what is typed', () => {
    expect(suggest(kb2, '503 ').map((s) => s.query)).toEqual(['503 meaning', '503 causes', '503 checks', '503 fixes', '503 retry', '503 platforms', '503 examples', '503 related', '503 sources']);
    expect(suggest(kb2, '/sip 503 f')).toEqual([{ label: '503 Service Unavailable: Fixes', query: '503 fixes' }]);
    expect(suggest(kb2, '503 zzz')).toEqual([]);
  });
});
