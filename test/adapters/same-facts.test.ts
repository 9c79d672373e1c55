import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEmbed } from '../../src/adapters/discord/render-embeds.js';
import { renderCard } from '../../src/adapters/slack/render-blocks.js';
import { createEngine } from '../../src/core/engine.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { factsFromCard } from './card-facts.js';
import { factsFromEmbed } from './discord/embed-facts.js';
import { factsFromBlocks } from './slack/block-facts.js';

const engine = createEngine(loadKnowledge());
const trace = (file: string): string => readFileSync(new URL(`../fixtures/traces/${file}`, import.meta.url), 'utf8');

// One card feeds both renderers; what a person reads off Slack and off Discord must be the same facts.
describe('Slack and Discord show the same facts', () => {
  const queries = ['503', '401', '488', '486', '408', '603', '499', '4xx', 'busy', 'q850 17', 'warning 305'];
  for (const q of queries) {
    it(`/sip ${q}`, () => {
      const card = engine.explain(q);
      const expected = factsFromCard(card);
      expect(factsFromBlocks(renderCard(card).blocks)).toEqual(expected);
      expect(factsFromEmbed(renderEmbed(card))).toEqual(expected);
    });
  }

  for (const file of ['raw/04-codec-488.sip', 'ngrep/06-register-401-rejected.t.txt', 'raw/15-kamailio-503.sip', 'tshark-V/09-timeout-no-answer.txt']) {
    it(`triage of ${file}`, () => {
      const answer = engine.triage(trace(file));
      for (const card of [answer.summary, ...answer.calls]) {
        const expected = factsFromCard(card);
        expect(expected.findings.length + (expected.firstCause === undefined ? 0 : 1)).toBeGreaterThan(0);
        expect(factsFromBlocks(renderCard(card).blocks)).toEqual(expected);
        expect(factsFromEmbed(renderEmbed(card))).toEqual(expected);
      }
    });
  }
});
