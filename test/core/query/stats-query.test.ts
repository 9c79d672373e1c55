import { describe, expect, it } from 'vitest';
import { explainQuery } from '../../../src/core/query/explain.js';
import { parseQuery } from '../../../src/core/query/parse-query.js';
import { rangeMs } from '../../../src/core/query/stats-query.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

describe('/sip stats', () => {
  it.each([
    ['/sip stats', { range: '24h', by: 'code' }],
    ['stats 7d', { range: '7d', by: 'code' }],
    ['/sip stats 30d peer', { range: '30d', by: 'peer' }],
    ['/sip stats by class 7d', { range: '7d', by: 'class' }],
    ['/sip stat week peers', { range: '7d', by: 'peer' }],
    ['/sip Stats 24H Code', { range: '24h', by: 'code' }],
  ])('%s', (text, query) => {
    expect(parseQuery(text)).toEqual({ kind: 'stats', query });
  });

  it('refuses an unknown word with a usage card naming it', () => {
    const q = parseQuery('/sip stats 12y');
    expect(q.kind).toBe('usage');
    const card = explainQuery(loadKnowledge(), '/sip stats 12y');
    expect(card.isError).toBe(true);
    expect(card.summary).toContain('"12y"');
  });

  it('covers whole days', () => {
    expect(rangeMs('24h')).toBe(86_400_000);
    expect(rangeMs('7d')).toBe(7 * 86_400_000);
    expect(rangeMs('30d')).toBe(30 * 86_400_000);
  });
});

describe('/sip digest', () => {
  it.each([
    ['/sip digest', { action: 'status' }],
    ['/sip digest subscribe', { action: 'subscribe' }],
    ['/sip digest off', { action: 'unsubscribe' }],
    ['/sip digest now', { action: 'preview' }],
  ])('%s', (text, command) => {
    expect(parseQuery(text)).toEqual({ kind: 'digest', command });
  });

  it('marks an unknown verb invalid', () => {
    const q = parseQuery('/sip digest dance');
    expect(q.kind === 'digest' && q.command.action).toBe('invalid');
  });

  it('answers without a running service by saying where stats live', () => {
    const card = explainQuery(loadKnowledge(), '/sip stats 7d');
    expect(card.kind).toBe('notice');
    expect(card.sections[0]?.items.join('\n')).toContain('/sip digest subscribe');
  });

  it('does not take codes or words that merely start alike', () => {
    expect(parseQuery('/sip statistics').kind).toBe('search');
    expect(parseQuery('/sip 503').kind).toBe('code');
  });
});
