import { describe, expect, it } from 'vitest';
import { renderCardText } from '../../../src/core/card/render-text.js';
import { digestCard } from '../../../src/core/stats/digest-card.js';
import { digestMessage } from '../../../src/core/stats/digest-message.js';
import { buildDigest } from '../../../src/core/stats/digest-model.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { EMPTY_ROWS, PERIOD, ROWS } from './digest-fixture.js';

const kb = defaultKnowledge();
const model = buildDigest({ period: PERIOD, rows: ROWS });

describe('digest card', () => {
  const card = digestCard(kb, model, 'UTC');

  it('says how many calls failed and how that compares, in its summary', () => {
    expect(card).toMatchObject({ kind: 'digest', title: 'SIP digest: Wed 25 Nov 2026', tone: 'critical' });
    expect(card.summary).toBe('60 failed calls in the 24 hours to 09:00 Wed 25 Nov 2026 (UTC): +362% vs the day before, 4.3× the 7-day average (14).');
  });

  it('shows totals by class, timeouts, cancels and ASR against the day before', () => {
    expect(card.fields.map((f) => [f.label, f.value])).toEqual([
      ['4xx', '9'],
      ['5xx', '50'],
      ['6xx', '1'],
      ['Timeouts (408)', '4'],
      ['Cancelled', '12'],
      ['ASR (INVITE)', '94.1% (900 of 956, was 98.7%)'],
    ]);
  });

  it('lists top codes with reason phrases and both comparisons, then new codes, peers and spiking hours', () => {
    const sections = Object.fromEntries(card.sections.map((s) => [s.title, s.items]));
    expect(sections['Top codes']).toEqual([
      '503 Service Unavailable: 50 (+400% vs the day before; 5× the 7-day average (10))',
      '486 Busy Here: 5 (+67% vs the day before; 1.7× the 7-day average (3))',
      '408 Request Timeout: 4 (none the day before; none usually)',
      '604 Does Not Exist Anywhere: 1 (none the day before; none usually)',
    ]);
    expect(sections['New this week']).toEqual([`477 ${kb.unregistered(477)?.reason ?? ''}: 6`, '604 Does Not Exist Anywhere: 1']);
    expect(sections['Top failing peers']?.[0]).toBe('203.0.113.7: 46, mostly 503');
    expect(sections['Hours that spiked']).toEqual(['14:00–15:00: 40 failures, usually 3']);
  });

  it('links each top code to its card with a button', () => {
    expect(card.actions).toEqual([
      { label: '503 Service Unavailable', query: '503' },
      { label: '486 Busy Here', query: '486' },
      { label: '408 Request Timeout', query: '408' },
      { label: '604 Does Not Exist Anywhere', query: '604' },
    ]);
  });

  it('writes hours in the configured time zone', () => {
    const paris = digestCard(kb, model, 'Europe/Paris');
    expect(paris.sections.find((s) => s.title === 'Hours that spiked')?.items).toEqual(['15:00–16:00: 40 failures, usually 3']);
    expect(paris.summary).toContain('to 10:00 Wed 25 Nov 2026 (Europe/Paris)');
  });

  it('renders as text with the existing renderer', () => {
    const text = renderCardText(card);
    expect(text.split('\n')[0]).toBe('SIP digest: Wed 25 Nov 2026');
    expect(text).toContain('  1. 503 Service Unavailable: 50');
  });
});

describe('all-clear digest', () => {
  const quiet = buildDigest({ period: PERIOD, rows: EMPTY_ROWS });
  const card = digestCard(kb, quiet, 'UTC');

  it('posts a short all-clear card, not silence, and no chart', () => {
    expect(card).toMatchObject({ kind: 'digest', tone: 'success', sections: [], links: [] });
    expect(card.summary).toBe('All clear: no SIP errors recorded in the 24 hours to 09:00 Wed 25 Nov 2026 (UTC).');
    expect(card.fields.map((f) => `${f.label}: ${f.value}`)).toEqual(['ASR (INVITE): 100.0% (40 of 40, was 93.8%)', 'Cancelled: 0', 'Day before: 2 failures']);
    const message = digestMessage(kb, quiet, 'UTC', new Uint8Array([1, 2, 3]));
    expect(message.image).toBeUndefined();
    expect(message.text).toBe(`${card.title}: ${card.summary}`);
  });
});

describe('digest message', () => {
  it('carries the chart PNG named after the period date, with a description', () => {
    const png = new Uint8Array([0x89, 0x50]);
    const message = digestMessage(kb, model, 'UTC', png);
    expect(message.cards).toHaveLength(1);
    expect(message.image?.filename).toBe('sip-digest-2026-11-25.png');
    expect(message.image?.png).toBe(png);
    expect(message.image?.alt).toContain('busiest hour 40 failures');
  });
});

describe('digest card with kept calls', () => {
  it('gives the top three codes and peers Example calls buttons over the digest\'s day, none without kept calls', () => {
    const plain = digestCard(kb, model, 'UTC');
    expect((plain.actions ?? []).some((a) => a.query.startsWith('calls '))).toBe(false);
    const card = digestCard(kb, model, 'UTC', { examples: true });
    const examples = (card.actions ?? []).filter((a) => a.query.startsWith('calls examples '));
    const end = Math.min(model.period.to, model.period.asOf ?? model.period.to) + 1;
    const codes = model.topCodes.slice(0, 3).map((c) => `calls examples ${c.code} 24h before ${end}`);
    // A peer the events did not name cannot be searched for: it gets no button.
    expect(model.topPeers.map((p) => p.peer)).toContain('(unknown)');
    const peers = model.topPeers.filter((p) => p.peer !== '(unknown)').slice(0, 3).map((p) => `calls examples ${p.peer} 24h before ${end}`);
    expect(examples.map((a) => a.query)).toEqual([...codes, ...peers]);
    expect(codes.length).toBeGreaterThan(0);
    expect(peers.length).toBeGreaterThan(0);
    // The same buttons on the message that posts.
    expect(digestMessage(kb, model, 'UTC', undefined, [], { examples: true }).cards[0]?.actions).toEqual(card.actions);
  });
});
