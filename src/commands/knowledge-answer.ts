import type { Card } from '../core/card/card.js';
import { codeAnswerFor } from '../core/card/code-answer.js';
import { unregisteredAnswerFor } from '../core/card/unregistered-answer.js';
import type { Engine } from '../core/engine.js';
import { parseQuery } from '../core/query/parse-query.js';

/**
 * What Slack, Discord and the console answer to a knowledge question (`/sip 503`, `/sip 503 fixes`, `/sip busy`):
 * a registered code gets its one-screen answer with the other parts a button (or `/sip 503 <part>`) away, a part
 * gets that part whole, anything else the card `explain` gives. The CLI and MCP keep the complete card.
 */
export function knowledgeAnswer(engine: Engine, text: string): Card {
  const query = parseQuery(text);
  if (query.kind === 'code') {
    const card = codeAnswerFor(engine.kb, query.code, query.section) ?? unregisteredAnswerFor(engine.kb, query.code, query.section);
    if (card !== undefined) return card;
  }
  return engine.explain(text);
}
