import { describe, expect, it } from 'vitest';
import { codeCard } from '../../../src/core/card/code-card.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

const kb = loadKnowledge();

describe('code card provenance (what --json shows)', () => {
  it('names every vendor source behind the card, with the file and function or page, and the versions read', () => {
    const entry = kb.code(483);
    expect(entry).toBeDefined();
    const card = codeCard(kb, entry!);
    expect(card.provenance?.reviewed).toBe('2026-12-05');
    expect(card.provenance?.sources).toContainEqual({
      id: 'asterisk-sip2cause',
      platform: 'asterisk',
      where: 'asterisk/asterisk res/res_pjsip.c ast_sip_hangup_sip2cause()',
      versions: expect.stringMatching(/21\.1\+/),
    });
    expect(card.provenance?.sources.map((s) => s.id)).toContain('kamailio-maxfwd-docs');
  });

  it('says null, not a date, for a card nobody has re-checked yet', () => {
    const card = codeCard(kb, kb.code(404)!);
    expect(card.provenance?.reviewed).toBeNull();
    expect(card.provenance?.sources.length).toBeGreaterThan(3);
  });

  it('cites the sources of cited list items too, not only platform notes', () => {
    const card = codeCard(kb, kb.code(503)!);
    const ids = card.provenance?.sources.map((s) => s.id) ?? [];
    // "Asterisk unable to create a channel" is a cause item, cited to chan_pjsip_incoming_request.
    expect(ids).toContain('asterisk-incoming-request');
    expect(ids).toContain('twilio-error-32001');
  });
});
