import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { CodeEntry, Scenario, UnregisteredCode } from '../../knowledge/schema.js';
import { rfcUrl, toneForCode, type Card, type CardField, type CardSection } from './card.js';
import { OWNER_SHORT, PLATFORM_LABEL, RETRY_LABEL } from './labels.js';
import { codeProvenance } from './provenance.js';

const FAILOVER_LABEL = { yes: 'tries the next route', no: 'does not fail over', configurable: 'fails over if configured' } as const;

/** The remediation card for a registered response code. */
export function codeCard(kb: KnowledgeBase, entry: CodeEntry): Card {
  const cls = kb.classEntry(Math.floor(entry.code / 100));
  const fields: CardField[] = [
    { label: 'Class', value: `${Math.floor(entry.code / 100)}xx ${cls?.name ?? ''}`.trim(), inline: true },
    { label: 'Who fixes it', value: entry.owners.map((o) => OWNER_SHORT[o]).join(', '), inline: true },
  ];
  if (entry.retry !== undefined) fields.push({ label: 'Retry', value: RETRY_LABEL[entry.retry.verdict], inline: true });
  fields.push({ label: 'Defined in', value: `${entry.rfc} §${entry.section}`, inline: true });
  fields.push({ label: 'Meaning', value: entry.meaning });

  const sections = codeSections(kb, entry).map((t) => t.section);
  return {
    kind: 'code',
    title: `${entry.code} ${entry.reason}`,
    summary: entry.summary,
    tone: toneForCode(entry.code),
    code: entry.code,
    reason: entry.reason,
    fields,
    sections,
    links: [{ label: `${entry.rfc} §${entry.section}`, url: rfcUrl(entry.rfc, entry.section) }],
    provenance: codeProvenance(kb, entry),
    footer: `Sources: ${entry.sources.join('; ')}`,
  };
}

/** Where a section of a code card belongs when the answer is opened a section at a time (code-answer.ts). */
export type CodeSectionId = 'meaning' | 'causes' | 'checks' | 'fixes' | 'retry' | 'platforms' | 'examples' | 'related' | 'sources';

export interface TaggedSection {
  readonly id: CodeSectionId;
  readonly section: CardSection;
}

/** The sections of a code's card in the order the full card shows them, each tagged with the part it belongs to. */
export function codeSections(kb: KnowledgeBase, entry: CodeEntry): TaggedSection[] {
  const sections: TaggedSection[] = [];
  const add = (id: CodeSectionId, section: CardSection): void => {
    sections.push({ id, section });
  };
  if (entry.causes.length > 0) add('causes', { title: 'Likely causes', items: entry.causes, ordered: true });
  if (entry.checks.length > 0) add('checks', { title: 'What to check', items: entry.checks });
  if (entry.fixes.length > 0) add('fixes', { title: 'How to fix', items: entry.fixes, ordered: true });
  if (entry.retry !== undefined || entry.failover !== undefined) {
    const text = [entry.retry?.advice, entry.retry?.retryAfter, entry.failover?.generic].filter((t) => t !== undefined).join(' ');
    add('retry', {
      title: 'Retry and failover',
      text,
      items: (entry.failover?.platforms ?? []).map(
        (p) => `${PLATFORM_LABEL[p.platform] ?? p.platform} ${FAILOVER_LABEL[p.nextRoute]}: ${p.note}`,
      ),
    });
  }
  if (entry.platforms.length > 0) {
    add('platforms', { title: 'Platform notes', items: entry.platforms.map((p) => `${PLATFORM_LABEL[p.platform] ?? p.platform}: ${p.note}`) });
  }
  for (const id of entry.scenarios) {
    const scenario = kb.scenario(id);
    if (scenario !== undefined) add('examples', scenarioSection(scenario));
  }
  if (entry.variants.length > 0) {
    add('meaning', { title: 'Also sent as', items: entry.variants.map((v) => `"${v.phrase}" (${v.seenIn})`) });
  }
  if (entry.related.length > 0) {
    add('related', {
      title: 'Related codes',
      items: entry.related.map((c) => relatedLabel(kb, c)),
    });
  }
  return sections;
}

/** "504 Server Time-out", or "477 Unfortunately… (unregistered)" for a code IANA never registered. */
export function relatedLabel(kb: KnowledgeBase, c: number): string {
  const unregistered = kb.code(c) === undefined ? kb.unregistered(c) : undefined;
  return unregistered === undefined ? `${c} ${kb.code(c)?.reason ?? ''}`.trim() : `${c} ${unregistered.reason} (unregistered)`;
}

export function scenarioSection(s: Scenario): CardSection {
  return {
    title: `Worked example: ${s.title}`,
    text: s.symptom,
    items: [...s.steps.map((step) => `${step.check} → ${step.finding}`), `Resolution: ${s.resolution}`],
    ordered: false,
  };
}

/**
 * A code that is on the wire but not in the IANA registry: say so first, then what a receiver does with it
 * (RFC 3261 §8.1.3.2: treat it as the x00 of its class).
 */
export function unregisteredCard(kb: KnowledgeBase, code: number, known: UnregisteredCode | undefined): Card {
  const cls = code >= 100 && code <= 699 ? kb.classEntry(Math.floor(code / 100)) : undefined;
  const treatAs = known?.treatAs ?? (cls === undefined ? undefined : Math.floor(code / 100) * 100);
  const base = treatAs === undefined ? undefined : kb.code(treatAs);
  const fields: CardField[] = [
    { label: 'Registered', value: 'No: not in the IANA SIP response-code registry', inline: true },
    { label: 'Class', value: cls === undefined ? 'none (outside 100-699)' : `${cls.class}xx ${cls.name}`, inline: true },
  ];
  if (base !== undefined) fields.push({ label: 'Receivers treat it as', value: `${base.code} ${base.reason}`, inline: true });
  if (known !== undefined) fields.push({ label: 'Sent by', value: known.origin, inline: true });
  const sections: CardSection[] = [];
  if (cls !== undefined) sections.push({ title: `About ${cls.class}xx`, text: `${cls.summary} ${cls.unknownCode}`, items: [] });
  if (known !== undefined && known.causes.length > 0) {
    // What actually makes a peer send this code; the x00 card's causes would describe a different failure.
    sections.push({ title: 'Likely causes', items: known.causes, ordered: true });
  } else if (base !== undefined && base.causes.length > 0) {
    sections.push({ title: `Likely causes (as for ${base.code})`, items: base.causes, ordered: true });
  }
  return {
    kind: 'unregistered',
    title: `${code} ${known?.reason ?? '(unregistered code)'}`,
    summary: known?.meaning ?? `${code} is not a registered SIP response code; a receiver handles it as ${treatAs ?? 'an error'}.`,
    tone: code >= 100 && code <= 699 ? toneForCode(code) : 'neutral',
    code,
    ...(known === undefined ? {} : { reason: known.reason }),
    fields,
    sections,
    links: [{ label: 'RFC 3261 §8.1.3.2 (unknown responses)', url: rfcUrl('RFC 3261', '8.1.3.2') }],
    footer: known === undefined ? 'Source: IANA SIP response-code registry' : `Sources: ${known.sources.join('; ')}`,
  };
}
