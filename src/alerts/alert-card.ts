import type { Card, CardAction, CardField, CardSection, Tone } from '../core/card/card.js';
import type { OutgoingMessage } from '../core/chat-port.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Usual } from './baselines.js';
import type { FailureProfile, Tally } from './recent-failures.js';
import { parseSpikeKey } from './spike-keys.js';

/** One incident as its alert message shows it; built by the service at each change. */
export interface IncidentView {
  readonly id: string;
  readonly state: 'active' | 'resolved';
  /** The key the incident is named and measured by (alert-service picks the most specific). */
  readonly lead: string;
  /** Every key that spiked in this incident, lead included. */
  readonly keys: readonly string[];
  readonly count: number;
  readonly peak: number;
  readonly usual: Usual;
  readonly since: number;
  readonly now: number;
  readonly windowMs: number;
  /** The failures behind the lead key: peers, codes, Q.850 causes, products. Kept from the last active view once resolved. */
  readonly profile: FailureProfile;
  readonly ack?: { readonly by: string; readonly at: number };
  readonly mute?: { readonly by: string; readonly until: number };
  /**
   * The "example calls" slot: the query that lists calls kept for this incident, when a feature keeps calls.
   * Without one the button is not shown.
   */
  readonly examplesQuery?: string;
  /** Kept calls of this incident with a link to each one's ladder (PUBLIC_URL set), newest first. */
  readonly exampleCalls?: readonly { readonly text: string; readonly url: string }[];
  /** For a poor-audio incident: the peer's calls with a quality report in the window (the count is the poor ones). */
  readonly qualityCalls?: number;
}

/** Slack header text is capped at 150 characters (Block Kit "header" block); keep titles well inside. */
const MAX_TITLE = 140;

/** The incident as a chat message: one card, posted once and then edited as the counts change. The notification text is the headline. */
export function incidentMessage(kb: KnowledgeBase, v: IncidentView): OutgoingMessage {
  const card = incidentCard(kb, v);
  return { text: `${card.title}: ${card.summary}`.slice(0, 2900), cards: [card] };
}

export function incidentCard(kb: KnowledgeBase, v: IncidentView): Card {
  const active = v.state === 'active';
  const minutes = Math.round(v.windowMs / 60_000);
  const name = incidentName(kb, v);
  const fields: CardField[] = [
    { label: active ? 'Now' : 'At the end', value: `${v.count} in ${minutes} min`, inline: true },
    // Poor audio is judged on its share of the peer's calls, not against a usual count.
    v.qualityCalls === undefined ? { label: 'Usual', value: usualText(v.usual), inline: true } : { label: 'Calls with a report', value: `${v.qualityCalls} in ${minutes} min`, inline: true },
    { label: 'Peak', value: `${v.peak} in ${minutes} min`, inline: true },
    { label: 'Since', value: `${hhmm(v.since)} UTC${active ? '' : `, for ${duration(v.now - v.since)}`}`, inline: true },
  ];
  const cause = topCause(kb, v.profile.q850);
  if (cause !== undefined) fields.push({ label: 'Q.850 cause', value: cause, inline: true });
  const product = share(v.profile.products, v.profile.total);
  if (product !== undefined) fields.push({ label: 'Sent by', value: product, inline: true });
  if (v.ack !== undefined) fields.push({ label: 'Acknowledged', value: `${v.ack.by} at ${hhmm(v.ack.at)} UTC`, inline: true });
  if (v.mute !== undefined && v.mute.until > v.now) fields.push({ label: 'Muted', value: `by ${v.mute.by} until ${hhmm(v.mute.until)} UTC`, inline: true });
  fields.push({ label: 'Spiking', value: v.keys.map((k) => keyWords(kb, k)).join('; '), inline: false });
  const sections = [
    ...breakdownSection('Peers', v.profile.peers),
    ...breakdownSection('Codes', v.profile.codes),
    ...exampleSection(v.exampleCalls),
  ];
  return {
    kind: 'notice',
    title: `${active ? 'Spike' : 'Resolved'}: ${name}`.slice(0, MAX_TITLE),
    summary: headline(v, minutes),
    tone: active ? toneOf(v) : 'success',
    fields,
    sections,
    links: [],
    actions: incidentActions(v),
    footer: active
      ? 'Edited as the counts change; a reply in this thread says when it clears.'
      : `Cleared at ${hhmm(v.now)} UTC after ${duration(v.now - v.since)}. The counts above are the last seen.`,
  };
}

/** The short threaded reply when an incident clears: it notifies, where an edit would not. */
export function resolvedReply(kb: KnowledgeBase, v: IncidentView): OutgoingMessage {
  const name = incidentName(kb, v);
  const text = `Resolved: ${name}. Back to normal at ${hhmm(v.now)} UTC after ${duration(v.now - v.since)}; peak ${v.peak} in ${Math.round(v.windowMs / 60_000)} min.`;
  return { text, cards: [{ kind: 'notice', title: `Resolved: ${name}`.slice(0, MAX_TITLE), summary: text.slice(text.indexOf('Back')), tone: 'success', fields: [], sections: [], links: [] }] };
}

/** "503 Service Unavailable from 203.0.113.7": the code (or class) and, when one peer sent most of it, the peer. */
export function incidentName(kb: KnowledgeBase, v: Pick<IncidentView, 'lead' | 'keys' | 'profile'>): string {
  const codeKey = v.keys.find((k) => parseSpikeKey(k).scope === 'code');
  const classKey = v.keys.find((k) => parseSpikeKey(k).scope === 'class');
  const peerKey = v.keys.find((k) => parseSpikeKey(k).scope === 'peer');
  const qualityKey = v.keys.find((k) => parseSpikeKey(k).scope === 'quality');
  if (qualityKey !== undefined && codeKey === undefined && classKey === undefined) return `Poor audio with ${parseSpikeKey(qualityKey).value}`;
  const what = codeKey !== undefined ? codeWords(kb, Number(parseSpikeKey(codeKey).value)) : classKey !== undefined ? `${parseSpikeKey(classKey).value} failures` : 'Failures';
  const registerKey = v.keys.find((k) => parseSpikeKey(k).scope === 'register');
  // Refused REGISTERs mean phones losing service: said first, with the registrar that refused them.
  if (registerKey !== undefined) {
    const registrar = parseSpikeKey(registerKey).value;
    return `REGISTER failures${codeKey === undefined ? '' : ` (${what})`}${registrar === 'unknown' ? '' : ` at ${registrar}`}`;
  }
  const peer = peerKey !== undefined ? parseSpikeKey(peerKey).value : share(v.profile.peers, v.profile.total, 0.8, false);
  return peer === undefined || peer === 'unknown' ? what : `${what} from ${peer}`;
}

/** A spike key in words: "503 Service Unavailable", "all 5xx answers", "everything from 203.0.113.7". */
export function keyWords(kb: KnowledgeBase, key: string): string {
  const { scope, value } = parseSpikeKey(key);
  if (scope === 'code') return codeWords(kb, Number(value));
  if (scope === 'class') return `all ${value} failures`;
  if (scope === 'register') return value === 'unknown' ? 'all REGISTER failures' : `REGISTER failures at ${value}`;
  if (scope === 'quality') return `calls with ${value} under MOS 3.6`;
  return `all failures from ${value}`;
}

function codeWords(kb: KnowledgeBase, code: number): string {
  const reason = kb.code(code)?.reason;
  return reason === undefined ? String(code) : `${code} ${reason}`;
}

function headline(v: IncidentView, minutes: number): string {
  const times = v.usual.value > 0 ? ` (${round(v.count / v.usual.value)}× usual)` : '';
  if (v.qualityCalls !== undefined && v.state === 'active') {
    return `${v.count} of ${v.qualityCalls} calls with a quality report had poor audio (MOS < 3.6) in the last ${minutes} min.`;
  }
  if (v.state === 'resolved') return `Back to normal: ${v.count} in the last ${minutes} min, peak ${v.peak}; lasted ${duration(v.now - v.since)}.`;
  return `${v.count} calls failed in the last ${minutes} min${times}; usual for this hour: ${usualShort(v.usual)}.`;
}

function incidentActions(v: IncidentView): CardAction[] {
  const code = v.keys.map(parseSpikeKey).find((k) => k.scope === 'code')?.value ?? v.profile.codes[0]?.label;
  const out: CardAction[] = [];
  if (code !== undefined) out.push({ label: `What ${code} means`, query: code });
  out.push({ label: 'Stats by peer', query: 'stats 24h peer' });
  if (v.examplesQuery !== undefined) out.push({ label: 'Example calls', query: v.examplesQuery });
  if (v.state === 'active') {
    if (v.ack === undefined) out.push({ label: 'Acknowledge', query: `alerts ack ${v.id}` });
    out.push({ label: 'Mute 1 h', query: `alerts mute ${v.id} 1h` });
  }
  return out;
}

function toneOf(v: IncidentView): Tone {
  const codes = v.keys.map(parseSpikeKey).filter((k) => k.scope === 'code' || k.scope === 'class');
  if (codes.length === 0) return 'warning';
  return codes.some((k) => k.value.startsWith('6')) ? 'critical' : codes.some((k) => k.value.startsWith('4')) && !codes.some((k) => k.value.startsWith('5')) ? 'warning' : 'danger';
}

function usualText(u: Usual): string {
  if (u.source === 'history') return `${round(u.value)} (same hour, last 7 days)`;
  if (u.source === 'ewma') return `${round(u.value)} (recent average)`;
  return 'none seen before';
}

function usualShort(u: Usual): string {
  return u.source === 'none' ? 'none seen before' : `about ${round(u.value)}`;
}

function topCause(kb: KnowledgeBase, causes: readonly Tally[]): string | undefined {
  const top = causes[0];
  if (top === undefined) return undefined;
  const cause = Number(top.label);
  const name = kb.q850(cause)?.name;
  const rest = causes.length > 1 ? ` (+${causes.length - 1} other)` : '';
  return `${cause}${name === undefined ? '' : ` ${name}`} ×${top.count}${rest}`;
}

/** The label that most failures share (at least `min` of them), with its count unless `counted` is false. */
function share(tallies: readonly Tally[], total: number, min = 0.5, counted = true): string | undefined {
  const top = tallies[0];
  if (top === undefined || total === 0 || top.count < total * min) return undefined;
  return counted ? `${top.label} (${top.count} of ${total})` : top.label;
}

function breakdownSection(title: string, tallies: readonly Tally[]): { title: string; items: string[] }[] {
  if (tallies.length === 0) return [];
  const items = tallies.slice(0, 5).map((t) => `${t.label}: ${t.count}`);
  if (tallies.length > 5) items.push(`${tallies.length - 5} more, ${tallies.slice(5).reduce((n, t) => n + t.count, 0)} calls`);
  return [{ title, items }];
}

function exampleSection(calls: IncidentView['exampleCalls']): CardSection[] {
  if (calls === undefined || calls.length === 0) return [];
  return [{ title: 'Example calls', items: calls.map((c) => c.text), itemLinks: calls.map((c) => ({ label: 'ladder', url: c.url })) }];
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function round(n: number): string {
  return n >= 10 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}

function duration(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
