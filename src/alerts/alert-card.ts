import type { Card, CardField } from '../core/card/card.js';
import type { OutgoingMessage } from '../core/chat-port.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Usual } from './baselines.js';
import { parseSpikeKey } from './spike-keys.js';

export interface AlertView {
  readonly key: string;
  readonly count: number;
  readonly usual: Usual;
  readonly peak: number;
  readonly since: number;
  readonly windowMs: number;
  readonly state: 'active' | 'resolved';
  readonly now: number;
  /** The other dimension, busiest first: peers for a code or class, codes for a peer. */
  readonly breakdown: readonly { readonly label: string; readonly count: number }[];
}

/** Slack header text is capped at 150 characters (Block Kit "header" block); keep titles well inside. */
const MAX_TITLE = 140;

/** The alert as a chat message: one card, posted once and then edited as the counts change. */
export function alertMessage(kb: KnowledgeBase, v: AlertView): OutgoingMessage {
  const card = alertCard(kb, v);
  return { text: `${card.title}: ${card.summary}`.slice(0, 2900), cards: [card] };
}

export function alertCard(kb: KnowledgeBase, v: AlertView): Card {
  const what = subject(kb, v.key);
  const minutes = Math.round(v.windowMs / 60_000);
  const usual = v.usual.source === 'none' ? 'none seen before' : `about ${round(v.usual.value)}`;
  const active = v.state === 'active';
  const summary = active
    ? `${v.count} failing calls in the last ${minutes} min; usual for this time: ${usual}${v.usual.value > 0 ? ` (${round(v.count / v.usual.value)}×)` : ''}.`
    : `Back to normal: ${v.count} in the last ${minutes} min. Peak ${v.peak}; lasted ${duration(v.now - v.since)}.`;
  const fields: CardField[] = [
    { label: 'Now', value: `${v.count} in ${minutes} min`, inline: true },
    { label: 'Usual', value: v.usual.source === 'history' ? `${round(v.usual.value)} (same hour, last 7 days)` : v.usual.source === 'ewma' ? `${round(v.usual.value)} (recent average)` : 'none seen before', inline: true },
    { label: 'Peak', value: String(v.peak), inline: true },
    { label: 'Since', value: `${new Date(v.since).toISOString().slice(11, 16)} UTC`, inline: true },
  ];
  const scope = parseSpikeKey(v.key).scope;
  return {
    kind: 'notice',
    title: `${active ? 'Spike' : 'Resolved'}: ${what}`.slice(0, MAX_TITLE),
    summary,
    tone: active ? (scope === 'peer' || v.key.startsWith('code:6') || v.key === 'class:6xx' ? 'critical' : 'danger') : 'success',
    fields,
    sections:
      v.breakdown.length === 0
        ? []
        : [{ title: scope === 'peer' ? 'Codes' : 'Peers', items: v.breakdown.slice(0, 5).map((b) => `${b.label}: ${b.count}`) }],
    links: [],
    footer: active ? 'This message is updated as the counts change, and marked resolved when the rate is back to normal.' : 'Resolved.',
  };
}

function subject(kb: KnowledgeBase, key: string): string {
  const { scope, value } = parseSpikeKey(key);
  if (scope === 'code') {
    const reason = kb.code(Number(value))?.reason;
    return `${value}${reason === undefined ? '' : ` ${reason}`} failures`;
  }
  if (scope === 'class') return `${value} failures`;
  return `failures from ${value}`;
}

function round(n: number): string {
  return n >= 10 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}

function duration(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
