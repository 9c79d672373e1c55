import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Tone } from '../card/card.js';
import type { Asr, ClassTotals } from './digest-model.js';

/** Wording shared by the stats and digest cards: counts, changes, ratios and times in the configured zone. */

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "+80%", "−25%", "no change", or "new" when there was nothing before. */
export function change(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'no change' : 'new';
  const pct = Math.round(((current - previous) / previous) * 100);
  if (pct === 0) return 'no change';
  return pct > 0 ? `+${pct}%` : `−${-pct}%`;
}

/** Against an average: "2.1× the 7-day average (196)"; a null average means no history to compare with. */
export function againstAverage(current: number, average: number | null, label = '7-day average'): string {
  if (average === null) return `no ${label} yet`;
  if (average === 0) return current === 0 ? `as usual (${label} 0)` : `none usually`;
  const ratio = current / average;
  const times = ratio >= 10 ? Math.round(ratio).toString() : ratio.toFixed(1).replace(/\.0$/, '');
  return `${times}× the ${label} (${decimal(average)})`;
}

export function decimal(n: number): string {
  return n >= 10 ? count(n) : n.toFixed(1).replace(/\.0$/, '');
}

export function percent(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`;
}

export function asrText(asr: Asr, previous?: Asr): string {
  if (asr.ratio === null) return 'no INVITEs answered or failed';
  const before = previous === undefined || previous.ratio === null ? '' : `, was ${percent(previous.ratio)}`;
  return `${percent(asr.ratio)} (${count(asr.answered)} of ${count(asr.answered + asr.failed)}${before})`;
}

/** The reason phrase the knowledge base has for a code: registered, or as seen on the wire, or none. */
export function reasonOf(kb: KnowledgeBase, code: number): string | undefined {
  return kb.code(code)?.reason ?? kb.unregistered(code)?.reason;
}

export function codeLabel(kb: KnowledgeBase, code: number): string {
  const reason = reasonOf(kb, code);
  return reason === undefined ? String(code) : `${code} ${reason}`;
}

export function toneFor(byClass: ClassTotals): Tone {
  if (byClass['6xx'] > 0) return 'critical';
  if (byClass['5xx'] > 0) return 'danger';
  if (byClass['4xx'] > 0 || byClass.other > 0) return 'warning';
  return 'success';
}

/** "09:00" in the zone. */
export function clock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** "Wed 25 Nov 2026" in the zone. */
export function day(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).formatToParts(ms);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}`;
}

/** "2026-11-25": the calendar date in the zone, the period key of a daily digest. */
export function isoDate(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
