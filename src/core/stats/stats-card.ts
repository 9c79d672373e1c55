import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Card, CardAction, CardField, CardSection } from '../card/card.js';
import { COUNTING_NOTE } from './digest-card.js';
import type { StatsModel, StatsRow } from './stats-model.js';
import { qualitySection } from './quality-model.js';
import { asrText, change, clock, codeLabel, count, day, toneFor } from './stats-format.js';

const RANGE_TEXT = { '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days' } as const;
const PREVIOUS_TEXT = { '24h': 'the 24 hours before', '7d': 'the 7 days before', '30d': 'the 30 days before' } as const;
const BY_TITLE = { code: 'By code', class: 'By class', peer: 'By peer' } as const;

/** `/sip stats` as a card: totals, the breakdown asked for, each against the previous period of equal length. */
export function statsCard(kb: KnowledgeBase, m: StatsModel, timeZone: string): Card {
  const title = `SIP errors, ${RANGE_TEXT[m.range]}, ${BY_TITLE[m.by].toLowerCase()}`;
  const end = Math.min(m.periods.current.to, m.periods.asOf ?? m.periods.current.to);
  const footer = `From ${clock(m.periods.current.from, timeZone)} ${day(m.periods.current.from, timeZone)} to ${clock(end, timeZone)} ${day(end, timeZone)} (${timeZone}; the current hour so far), against ${PREVIOUS_TEXT[m.range]}. ${COUNTING_NOTE}`;
  const asr: CardField = { label: 'ASR (INVITE)', value: asrText(m.asr, m.previousAsr), inline: true };
  if (m.failures === 0 && m.previousFailures === 0) {
    return { kind: 'stats', title, summary: `No SIP errors recorded in ${RANGE_TEXT[m.range]}, nor in ${PREVIOUS_TEXT[m.range]}.`, tone: 'success', fields: [asr], sections: qualitySection(m.quality), links: [], footer };
  }
  const fields: CardField[] = (['4xx', '5xx', '6xx'] as const).map((c) => ({ label: c, value: `${count(m.byClass[c])} (${change(m.byClass[c], m.previousByClass[c])})`, inline: true }));
  fields.push({ label: 'Timeouts (408)', value: count(m.timeouts), inline: true }, { label: 'Cancelled', value: count(m.asr.cancelled), inline: true }, asr);
  const label = (r: StatsRow): string => (m.by === 'code' ? codeLabel(kb, Number(r.key)) : r.key);
  const items = m.rows.map((r) => `${label(r)}: ${count(r.count)} (was ${count(r.previous)}, ${change(r.count, r.previous)})`);
  if (m.otherRows.keys > 0) items.push(`…and ${m.otherRows.keys} more: ${count(m.otherRows.count)}`);
  const sections: CardSection[] = [{ title: BY_TITLE[m.by], items }];
  if (m.by !== 'peer' && m.topPeers.length > 0) sections.push({ title: 'Top failing peers', items: m.topPeers.map((p) => `${p.key}: ${count(p.count)} (was ${count(p.previous)})`) });
  sections.push(...qualitySection(m.quality));
  const actions: CardAction[] = m.by === 'code' ? m.rows.filter((r) => r.count > 0).map((r) => ({ label: codeLabel(kb, Number(r.key)).slice(0, 75), query: r.key })) : [];
  return {
    kind: 'stats',
    title,
    summary: `${count(m.failures)} failed calls in ${RANGE_TEXT[m.range]}: ${change(m.failures, m.previousFailures)} against ${PREVIOUS_TEXT[m.range]} (${count(m.previousFailures)}).`,
    tone: toneFor(m.byClass),
    fields,
    sections,
    links: [],
    ...(actions.length === 0 ? {} : { actions }),
    footer,
  };
}
