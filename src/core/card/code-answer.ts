import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { CodeEntry } from '../../knowledge/schema.js';
import { rfcUrl, toneForCode, type Card, type CardAction, type CardField, type CardLink, type CardSection, type Tone } from './card.js';
import { codeSections, relatedLabel, type CodeSectionId } from './code-card.js';
import { OWNER_SHORT, RETRY_LABEL } from './labels.js';

export type { CodeSectionId } from './code-card.js';

/**
 * A code's answer read a screen at a time (issue 20): the headline and what to do now come first, every other
 * part of the card is one click (or one `/sip 503 fixes`) away. The full card (`explain`) is unchanged; this is
 * what chat surfaces show first.
 */

/** The parts of a code card that open on demand, in the order their buttons show, with the words that ask for each. */
export const CODE_SECTIONS: readonly { readonly id: CodeSectionId; readonly label: string; readonly words: readonly string[] }[] = [
  { id: 'meaning', label: 'Meaning', words: ['meaning', 'means', 'mean', 'what', 'about', 'variants', 'phrases'] },
  { id: 'causes', label: 'Causes', words: ['causes', 'cause', 'why', 'reasons'] },
  { id: 'checks', label: 'Checks', words: ['checks', 'check', 'debug', 'diagnose'] },
  { id: 'fixes', label: 'Fixes', words: ['fixes', 'fix', 'how', 'solve', 'solutions', 'resolve'] },
  { id: 'retry', label: 'Retry & failover', words: ['retry', 'retries', 'failover', 'fail-over', 'retry-after'] },
  { id: 'platforms', label: 'Platform notes', words: ['platforms', 'platform', 'notes', 'vendors', 'vendor'] },
  { id: 'examples', label: 'Examples', words: ['examples', 'example', 'scenarios', 'scenario', 'worked'] },
  { id: 'related', label: 'Related codes', words: ['related', 'see', 'similar'] },
  { id: 'sources', label: 'Sources', words: ['sources', 'source', 'references', 'refs', 'citations'] },
];

/** The section a word asks for ("fixes", "fix", "how"), or undefined. */
export function codeSectionFromWord(word: string): CodeSectionId | undefined {
  const w = word.trim().toLowerCase();
  return CODE_SECTIONS.find((s) => s.words.includes(w))?.id;
}

export interface CodeAnswerSection {
  readonly id: CodeSectionId;
  /** Button label: "Fixes". */
  readonly label: string;
  /** What follows /sip to open it: "503 fixes". */
  readonly query: string;
  /** The card sections it holds, whole (an answer to one section is never cut). */
  readonly sections: readonly CardSection[];
}

export interface CodeAnswer {
  readonly code: number;
  readonly reason: string;
  readonly tone: Tone;
  /** Code, reason and the one-line why: the notification text. */
  readonly headline: string;
  /** The one-line why (the card's summary). */
  readonly why: string;
  /** The top check and the top fix (or the two top ones where the code has only one kind). */
  readonly doNow: readonly string[];
  /** Short facts shown side by side: class, who fixes it, retry, where it is defined. */
  readonly essentials: readonly CardField[];
  readonly link: CardLink;
  /** Every further part, in button order; only parts the knowledge has. */
  readonly sections: readonly CodeAnswerSection[];
  /** Related codes, each a query that opens its card. */
  readonly related: readonly CardAction[];
}

export interface CodeAnswerOptions {
  /** What to do now for this case (a triage knows better than the generic card); defaults to top check and fix. */
  readonly doNow?: readonly string[];
}

const DO_NOW = 2;

/** The answer model for a registered code. */
export function codeAnswer(kb: KnowledgeBase, entry: CodeEntry, options: CodeAnswerOptions = {}): CodeAnswer {
  const cls = kb.classEntry(Math.floor(entry.code / 100));
  const essentials: CardField[] = [
    { label: 'Class', value: `${Math.floor(entry.code / 100)}xx ${cls?.name ?? ''}`.trim(), inline: true },
    { label: 'Who fixes it', value: entry.owners.map((o) => OWNER_SHORT[o]).join(', '), inline: true },
  ];
  if (entry.retry !== undefined) essentials.push({ label: 'Retry', value: RETRY_LABEL[entry.retry.verdict], inline: true });
  essentials.push({ label: 'Defined in', value: `${entry.rfc} §${entry.section}`, inline: true });

  const tagged = codeSections(kb, entry);
  const byId = (id: CodeSectionId): CardSection[] => tagged.filter((t) => t.id === id).map((t) => t.section);
  const parts: Record<CodeSectionId, CardSection[]> = {
    // The meaning leads its part; variants of the phrase follow it.
    meaning: [{ title: 'Meaning', text: entry.meaning, items: [] }, ...byId('meaning')],
    causes: byId('causes'),
    checks: byId('checks'),
    fixes: byId('fixes'),
    retry: byId('retry'),
    platforms: byId('platforms'),
    examples: byId('examples'),
    related: byId('related'),
    sources: entry.sources.length === 0 ? [] : [{ title: 'Sources', items: entry.sources }],
  };
  const sections = CODE_SECTIONS.filter((s) => parts[s.id].length > 0).map(
    (s): CodeAnswerSection => ({ id: s.id, label: s.label, query: `${entry.code} ${s.id}`, sections: parts[s.id] }),
  );
  return {
    code: entry.code,
    reason: entry.reason,
    tone: toneForCode(entry.code),
    headline: `${entry.code} ${entry.reason}: ${entry.summary}`,
    why: entry.summary,
    doNow: options.doNow ?? defaultDoNow(entry),
    essentials,
    link: { label: `${entry.rfc} §${entry.section}`, url: rfcUrl(entry.rfc, entry.section) },
    sections,
    related: entry.related.map((c) => ({ label: relatedLabel(kb, c), query: String(c), role: 'related' })),
  };
}

// The first check says where to look, the first fix what usually cures it: together, the first two minutes.
function defaultDoNow(entry: CodeEntry): string[] {
  const [check] = entry.checks;
  const [fix] = entry.fixes;
  if (check !== undefined && fix !== undefined) return [`Check: ${check}`, `Fix: ${fix}`];
  return [...entry.checks, ...entry.fixes].slice(0, DO_NOW);
}

/** The first answer: headline, do now, essentials, the RFC link, and a button for every further part. */
export function codeAnswerCard(answer: CodeAnswer): Card {
  return {
    kind: 'code',
    title: `${answer.code} ${answer.reason}`,
    summary: answer.why,
    headline: answer.headline,
    tone: answer.tone,
    code: answer.code,
    reason: answer.reason,
    fields: answer.essentials,
    sections: answer.doNow.length === 0 ? [] : [{ title: 'Do now', items: answer.doNow, ordered: true }],
    links: [answer.link],
    // Related codes have buttons of their own; their list as a section is for typing `/sip 503 related`.
    actions: [...sectionActions(answer, (s) => s.id !== 'related'), ...answer.related],
  };
}

/** One part of the answer, whole, with buttons for the other parts; undefined when the code has no such part. */
export function codeSectionCard(answer: CodeAnswer, id: CodeSectionId): Card | undefined {
  const part = answer.sections.find((s) => s.id === id);
  if (part === undefined) return undefined;
  return {
    kind: 'code',
    title: `${answer.code} ${answer.reason}: ${part.label}`,
    summary: answer.why,
    headline: `${answer.code} ${answer.reason}: ${part.label.toLowerCase()}`,
    tone: answer.tone,
    code: answer.code,
    reason: answer.reason,
    fields: [],
    sections: part.sections,
    links: [answer.link],
    actions: [
      ...sectionActions(answer, (s) => s.id !== id && s.id !== 'related'),
      ...(id === 'related' ? answer.related : []),
    ],
  };
}

function sectionActions(answer: CodeAnswer, keep: (s: CodeAnswerSection) => boolean): CardAction[] {
  return answer.sections.filter(keep).map((s) => ({ label: s.label, query: s.query, role: 'section' }));
}

/** A code's short first answer by number, or undefined for a code the registry does not hold. */
export function codeAnswerFor(kb: KnowledgeBase, code: number, section?: CodeSectionId): Card | undefined {
  const entry = kb.code(code);
  if (entry === undefined) return undefined;
  const answer = codeAnswer(kb, entry);
  const first = codeAnswerCard(answer);
  if (section === undefined) return first;
  const label = CODE_SECTIONS.find((s) => s.id === section)?.label ?? section;
  // Asked for a part this code does not have: the first answer, saying so, with the parts it does have.
  return codeSectionCard(answer, section) ?? { ...first, footer: `${answer.code} has no ${label.toLowerCase()} in the knowledge base.` };
}
