import { describe, expect, it } from 'vitest';
import { renderCardText } from '../../../src/core/card/render-text.js';
import { usageCard } from '../../../src/core/card/usage-card.js';
import { explainQuery } from '../../../src/core/query/explain.js';
import { parseQuery } from '../../../src/core/query/parse-query.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

describe('/sip auto', () => {
  it.each([
    ['/sip auto', { action: 'status' }],
    ['auto status', { action: 'status' }],
    ['/sip auto on', { action: 'on' }],
    ['/sip auto OFF', { action: 'off' }],
    ['auto disable', { action: 'off' }],
  ])('%s', (text, command) => {
    expect(parseQuery(text)).toEqual({ kind: 'auto', command });
  });

  it('names what it could not read', () => {
    const q = parseQuery('/sip auto maybe');
    expect(q).toEqual({ kind: 'auto', command: { action: 'invalid', problem: expect.stringContaining('"maybe"') } });
  });

  it('leaves words that merely start with auto to the search', () => {
    expect(parseQuery('automatic').kind).toBe('search');
  });

  it('is answered where there is no channel with a card saying where to ask', () => {
    const card = explainQuery(loadKnowledge(), 'auto off');
    expect(card).toMatchObject({ kind: 'notice', title: 'Automatic triage' });
    expect(card.sections[0]?.items.join('\n')).toContain('/sip auto off');
  });
});

describe('the usage card', () => {
  it('lists the channel commands: stats, digest, alerts and auto', () => {
    const text = renderCardText(usageCard());
    for (const command of ['/sip stats', '/sip digest subscribe', '/sip alerts subscribe', '/sip auto off']) expect(text).toContain(command);
  });
});

describe('card actions in text', () => {
  it('prints each follow-up as the command to type', () => {
    const card = { ...usageCard(), actions: [{ label: '503 Service Unavailable', query: '503' }, { label: 'stats 7d', query: 'stats 7d' }] };
    const lines = renderCardText(card).split('\n');
    expect(lines).toContain('→ /sip 503  (503 Service Unavailable)');
    expect(lines).toContain('→ /sip stats 7d');
  });
});
