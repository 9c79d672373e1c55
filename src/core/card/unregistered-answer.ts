import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Card, CardAction, CardSection } from './card.js';
import type { CodeSectionId } from './code-card.js';
import { unregisteredCard } from './code-card.js';

/**
 * The one-screen answer for a code IANA never registered (477, 599): what it is and how receivers treat it
 * first; its likely causes and sources a button (or `/sip 477 causes`) away, and the code it is treated as a
 * button that opens that code's answer. Undefined for registered codes and numbers outside 100-699 that no
 * one is known to send.
 */
export function unregisteredAnswerFor(kb: KnowledgeBase, code: number, section?: CodeSectionId): Card | undefined {
  const known = kb.unregistered(code);
  if (kb.code(code) !== undefined || (known === undefined && (code < 100 || code > 699))) return undefined;
  const full = unregisteredCard(kb, code, known);
  const causes = full.sections.filter((s) => s.title.startsWith('Likely causes'));
  const sources: CardSection[] = full.footer === undefined ? [] : [{ title: 'Sources', items: full.footer.replace(/^Sources?: /, '').split('; ') }];
  const treatAs = known?.treatAs ?? (code >= 100 && code <= 699 ? Math.floor(code / 100) * 100 : undefined);
  const base = treatAs === undefined ? undefined : kb.code(treatAs);
  const related: CardAction[] = base === undefined ? [] : [{ label: `${base.code} ${base.reason}`, query: String(base.code), role: 'related' }];
  const parts: { id: CodeSectionId; label: string; sections: CardSection[] }[] = [
    { id: 'causes', label: 'Causes', sections: causes },
    { id: 'sources', label: 'Sources', sections: sources },
  ];
  const actions = (except?: CodeSectionId): CardAction[] => [
    ...parts.filter((p) => p.sections.length > 0 && p.id !== except).map((p): CardAction => ({ label: p.label, query: `${code} ${p.id}`, role: 'section' })),
    ...related,
  ];
  const part = parts.find((p) => p.id === section && p.sections.length > 0);
  const { footer: _footer, ...rest } = full;
  if (part !== undefined) {
    return { ...rest, title: `${full.title}: ${part.label}`, headline: `${full.title}: ${part.label.toLowerCase()}`, fields: [], sections: part.sections, actions: actions(part.id) };
  }
  return { ...rest, headline: `${full.title}: ${full.summary}`, sections: full.sections.filter((s) => !causes.includes(s)), actions: actions() };
}
