import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Card } from '../card/card.js';
import { codeAnswerFor } from '../card/code-answer.js';
import { codeCard, unregisteredCard } from '../card/code-card.js';
import { classCard, q850Card, teamsCard, warningCard } from '../card/reference-cards.js';
import { usageCard } from '../card/usage-card.js';
import { ALERTS_USAGE } from './alerts-query.js';
import { AUTO_USAGE } from './auto-query.js';
import { DIGEST_USAGE, STATS_USAGE } from './stats-query.js';
import { parseQuery, type Query } from './parse-query.js';
import { PROBE_USAGE } from '../probe/probe-request.js';

const SEARCH_LIMIT = 6;

/** Answers any /sip query with a card. Never throws; input it cannot use gets the usage card. */
export function explainQuery(kb: KnowledgeBase, input: string): Card {
  return answer(kb, parseQuery(input));
}

export function answer(kb: KnowledgeBase, query: Query): Card {
  switch (query.kind) {
    case 'usage':
      return usageCard(query.problem);
    case 'code': {
      const entry = kb.code(query.code);
      // "503 fixes" asks for one part, whole; "503" for the complete card, as it always was.
      if (entry !== undefined && query.section !== undefined) return codeAnswerFor(kb, query.code, query.section) ?? codeCard(kb, entry);
      if (entry !== undefined) return codeCard(kb, entry);
      const known = kb.unregistered(query.code);
      if (known !== undefined || (query.code >= 100 && query.code <= 699)) return unregisteredCard(kb, query.code, known);
      return usageCard(`${query.code} is not a SIP response code: they run from 100 to 699.`);
    }
    case 'class':
      return classCard(kb, query.cls);
    case 'q850':
      return q850Card(kb, query.cause) ?? usageCard(`Q.850 defines no cause ${query.cause}.`);
    case 'warning':
      return warningCard(kb, query.code) ?? usageCard(`${query.code} is not a registered SIP warn-code.`);
    case 'teams':
      return teamsCard(kb, query.code) ?? usageCard(`${query.code} is not a Teams Direct Routing code we know.`);
    case 'search':
      return searchCard(kb, query.text);
    case 'alerts':
      // Alerts belong to a channel and a running service; a surface that has both answers before this.
      return alertsElsewhereCard();
    case 'stats':
    case 'digest':
    case 'calls':
      // All read the store of a running service; a surface that has one answers before this.
      return storeElsewhereCard();
    case 'auto':
      return autoElsewhereCard();
    case 'probe':
      return probeElsewhereCard();
  }
}

function autoElsewhereCard(): Card {
  return {
    kind: 'notice',
    title: 'Automatic triage',
    summary: 'Automatic triage of pasted traces is set per Slack or Discord channel: ask there.',
    tone: 'info',
    fields: [],
    sections: [{ title: 'Commands', items: [...AUTO_USAGE] }],
    links: [],
  };
}

function probeElsewhereCard(): Card {
  return {
    kind: 'notice',
    title: 'Probing a SIP server',
    summary: 'A probe sends a real request from a running siptriage: ask in Slack, Discord or the console, or run `siptriage probe <target>`.',
    tone: 'info',
    fields: [],
    sections: [{ title: 'Commands', items: [...PROBE_USAGE] }],
    links: [],
  };
}

function storeElsewhereCard(): Card {
  return {
    kind: 'notice',
    title: 'Error statistics and the daily digest',
    summary: 'Stats and digests count the SIP errors a running siptriage has seen: ask in Slack, Discord or the console, or run `siptriage stats`.',
    tone: 'info',
    fields: [],
    sections: [{ title: 'Commands', items: [...STATS_USAGE, ...DIGEST_USAGE] }],
    links: [],
  };
}

function alertsElsewhereCard(): Card {
  return {
    kind: 'notice',
    title: 'Spike alerts',
    summary: 'Spike alerts are set per chat channel, in Slack or Discord (or the console), where siptriage receives live traffic.',
    tone: 'info',
    fields: [],
    sections: [{ title: 'Commands', items: [...ALERTS_USAGE] }],
    links: [],
  };
}

function searchCard(kb: KnowledgeBase, text: string): Card {
  const hits = kb.search(text, SEARCH_LIMIT);
  if (hits.length === 0) return usageCard(`Nothing matches "${text.slice(0, 80)}".`);
  const items = hits.map((h) => {
    const e = kb.code(h.code);
    return e === undefined ? String(h.code) : `${e.code} ${e.reason}: ${e.summary}`;
  });
  const best = kb.code(hits[0]?.code ?? 0);
  return {
    kind: 'search',
    title: `Codes matching "${text.slice(0, 80)}"`,
    summary: best === undefined ? '' : `Best match: ${best.code} ${best.reason}.`,
    tone: 'info',
    fields: [],
    sections: [{ title: 'Best matches first', items, ordered: true }],
    links: [],
    footer: 'Type /sip <code> for the full card.',
  };
}
