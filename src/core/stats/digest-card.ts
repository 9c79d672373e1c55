import { qualitySection } from './quality-model.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Card, CardAction, CardField, CardSection } from '../card/card.js';
import { HOUR_MS } from './count-rows.js';
import type { DigestModel } from './digest-model.js';
import { againstAverage, asrText, change, clock, codeLabel, count, day, decimal, toneFor } from './stats-format.js';

/** Slack header blocks hold 150 characters; titles stay well inside. */
const MAX_TITLE = 140;

export const COUNTING_NOTE =
  'One count per call: retransmissions and a call pasted twice count once, an answered 401/407 challenge is not a failure, CANCELled calls are counted apart.';

export interface DigestCardOptions {
  /** Calls are kept (CALLS_KEEP): each top code and peer gets an Example calls button. */
  readonly examples?: boolean;
  /** PUBLIC_URL set: the ladder of the latest kept call of each top code and peer, linked from its row. */
  readonly ladders?: DigestLadders;
}

export interface DigestLadders {
  readonly codes: ReadonlyMap<number, string>;
  readonly peers: ReadonlyMap<string, string>;
}

/**
 * Example calls of the top codes and peers: the three latest kept calls of each in the digest's day, up to its
 * end (so the buttons of yesterday's digest still open yesterday's calls while they are kept).
 */
function exampleActions(m: DigestModel, end: number): CardAction[] {
  const hours = Math.round((m.period.to - m.period.from) / HOUR_MS);
  const period = hours <= 1 ? '1h' : hours <= 24 ? '24h' : '7d';
  const before = `${period} before ${Math.floor(end) + 1}`;
  const peers = m.topPeers.filter((p) => /^[A-Za-z0-9.:[\]-]{1,255}$/.test(p.peer)).slice(0, 3);
  return [
    ...m.topCodes.slice(0, 3).map((c) => ({ label: `Example calls: ${c.code}`, query: `calls examples ${c.code} ${before}` })),
    ...peers.map((p) => ({ label: `Example calls: ${p.peer}`.slice(0, 75), query: `calls examples ${p.peer} ${before}` })),
  ];
}

function ladderLinks(urls: readonly (string | undefined)[]): Pick<CardSection, 'itemLinks'> {
  return urls.some((u) => u !== undefined) ? { itemLinks: urls.map((url) => (url === undefined ? undefined : { label: 'ladder', url })) } : {};
}

/**
 * The digest as one card (Discord posts a digest as one message, so it is one embed), with each top code as
 * a button that opens its card. A day without failures is a short all-clear: silence would look like an outage
 * of siptriage itself.
 */
export function digestCard(kb: KnowledgeBase, m: DigestModel, timeZone: string, options: DigestCardOptions = {}): Card {
  const hours = Math.round((m.period.to - m.period.from) / HOUR_MS);
  const end = Math.min(m.period.to, m.period.asOf ?? m.period.to);
  const soFar = m.period.asOf !== undefined && m.period.asOf < m.period.to ? ', this hour so far included' : '';
  const when = `the ${hours} hours to ${clock(end, timeZone)} ${day(end, timeZone)} (${timeZone}${soFar})`;
  const before = hours === 24 ? 'the day before' : `the ${hours} hours before`;
  const title = `SIP digest: ${day(end, timeZone)}`.slice(0, MAX_TITLE);
  const asrField: CardField = { label: 'ASR (INVITE)', value: asrText(m.asr, m.previousAsr), inline: true };
  const cancelled: CardField = { label: 'Cancelled', value: count(m.asr.cancelled), inline: true };
  if (m.failures === 0) {
    return {
      kind: 'digest',
      title,
      summary: `All clear: no SIP errors recorded in ${when}.`,
      tone: 'success',
      fields: [asrField, cancelled, { label: hours === 24 ? 'Day before' : `${hours} hours before`, value: `${count(m.previousDay)} failures`, inline: true }],
      sections: qualitySection(m.quality),
      links: [],
      footer: COUNTING_NOTE,
    };
  }
  const fields: CardField[] = [
    { label: '4xx', value: count(m.byClass['4xx']), inline: true },
    { label: '5xx', value: count(m.byClass['5xx']), inline: true },
    { label: '6xx', value: count(m.byClass['6xx']), inline: true },
    ...(m.byClass.other > 0 ? [{ label: 'Other', value: count(m.byClass.other), inline: true }] : []),
    { label: 'Timeouts (408)', value: count(m.timeouts), inline: true },
    cancelled,
    asrField,
  ];
  const sections: CardSection[] = [
    {
      title: 'Top codes',
      ordered: true,
      items: m.topCodes.map(
        (c) => `${codeLabel(kb, c.code)}: ${count(c.count)} (${c.previousDay === 0 ? `none ${before}` : `${change(c.count, c.previousDay)} vs ${before}`}; ${againstAverage(c.count, c.weekAverage)})`,
      ),
      ...ladderLinks(m.topCodes.map((c) => options.ladders?.codes.get(c.code))),
    },
  ];
  if (m.newCodes.length > 0) {
    sections.push({ title: 'New this week', text: 'Seen in the last 7 days, not in the 4 weeks before.', items: m.newCodes.map((c) => `${codeLabel(kb, c.code)}: ${count(c.count)}`) });
  }
  if (m.topPeers.length > 0) {
    sections.push({ title: 'Top failing peers', items: m.topPeers.map((p) => `${p.peer}: ${count(p.count)}, mostly ${p.topCode}`), ...ladderLinks(m.topPeers.map((p) => options.ladders?.peers.get(p.peer))) });
  }
  if (m.spikes.length > 0) {
    sections.push({
      title: 'Hours that spiked',
      items: m.spikes.map((s) => `${clock(s.hour, timeZone)}–${clock(s.hour + HOUR_MS, timeZone)}: ${count(s.count)} failures, usually ${decimal(s.usual)}`),
    });
  }
  sections.push(...qualitySection(m.quality));
  const actions: CardAction[] = m.topCodes.map((c) => ({ label: codeLabel(kb, c.code).slice(0, 75), query: String(c.code) }));
  if (options.examples === true) actions.push(...exampleActions(m, end));
  return {
    kind: 'digest',
    title,
    summary: `${count(m.failures)} failed calls in ${when}: ${change(m.failures, m.previousDay)} vs ${before}, ${againstAverage(m.failures, m.weekAverage)}.`,
    tone: toneFor(m.byClass),
    fields,
    sections,
    links: [],
    actions,
    footer: `${m.historyDays === 0 ? 'No history yet to compare with.' : `Compared with ${m.historyDays} day${m.historyDays === 1 ? '' : 's'} of history.`} ${COUNTING_NOTE}`,
  };
}
