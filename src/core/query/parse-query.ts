import { codeSectionFromWord, type CodeSectionId } from '../card/code-answer.js';
import { parseAlertsCommand, type AlertsCommand } from './alerts-query.js';
import { parseAutoCommand, type AutoCommand } from './auto-query.js';
import { parseCallsCommand, type CallsCommand } from './calls-query.js';
import { parseDigestCommand, parseStatsQuery, type DigestCommand, type StatsQuery } from './stats-query.js';

/** What someone typed after /sip, understood. Parsing never fails: unknown text becomes a search. */
export type Query =
  | { readonly kind: 'usage'; readonly text: string; readonly problem?: string }
  | { readonly kind: 'code'; readonly code: number; readonly section?: CodeSectionId }
  | { readonly kind: 'class'; readonly cls: number }
  | { readonly kind: 'q850'; readonly cause: number }
  | { readonly kind: 'warning'; readonly code: number }
  | { readonly kind: 'teams'; readonly code: string }
  | { readonly kind: 'alerts'; readonly command: AlertsCommand }
  | { readonly kind: 'stats'; readonly query: StatsQuery }
  | { readonly kind: 'digest'; readonly command: DigestCommand }
  | { readonly kind: 'auto'; readonly command: AutoCommand }
  | { readonly kind: 'probe'; readonly text: string }
  | { readonly kind: 'calls'; readonly command: CallsCommand }
  | { readonly kind: 'search'; readonly text: string };

const MAX_QUERY = 200;
// A probe target is read in full, so that an over-long host is refused for its length rather than cut to fit.
const MAX_PROBE = 2000;
// Two Call-IDs' worth (255 each) with room for the period and a cursor.
const MAX_CALLS = 1000;

export function parseQuery(input: string): Query {
  // Chat clients add smart quotes and trailing punctuation; "/sip" may be typed into the console.
  const full = input
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, '')
    .replace(/^\s*\/?sip\b/i, '')
    .trim();
  const probe = /^probe\b\s*/i.exec(full);
  if (probe) return { kind: 'probe', text: full.slice(probe[0].length, MAX_PROBE) };
  // Read from the typed text, not the lowercased one: Call-IDs are case-sensitive. Read past MAX_QUERY too: a
  // kept Call-ID runs to 255 characters and a More button adds a cursor, and a cut Call-ID opens nothing.
  const calls = /^calls\b\s*/i.exec(full);
  if (calls) {
    const command = full.length > MAX_CALLS ? ({ action: 'invalid', problem: `a calls query is at most ${MAX_CALLS} characters` } as const) : parseCallsCommand(full.slice(calls[0].length));
    return { kind: 'calls', command };
  }
  const text = full.slice(0, MAX_QUERY);
  const q = text.toLowerCase().replace(/[?!.]+$/, '').trim();
  if (q === '' || q === 'help' || q === 'usage' || q === '-h' || q === '--help') return { kind: 'usage', text };
  let m: RegExpExecArray | null;
  if ((m = /^alerts?\b(.*)$/.exec(q))) return { kind: 'alerts', command: parseAlertsCommand(m[1] ?? '') };
  if ((m = /^stats?\b(.*)$/.exec(q))) {
    const stats = parseStatsQuery(m[1] ?? '');
    return stats.ok ? { kind: 'stats', query: stats.query } : { kind: 'usage', text, problem: stats.problem };
  }
  if ((m = /^digest\b(.*)$/.exec(q))) return { kind: 'digest', command: parseDigestCommand(m[1] ?? '') };
  if ((m = /^auto\b(.*)$/.exec(q))) return { kind: 'auto', command: parseAutoCommand(m[1] ?? '') };
  if ((m = /^(?:sip\s+)?(\d{3})(?:\s+(.*))?$/.exec(q))) {
    // "503 fixes": one part of the answer; other words after a code are ignored, as they always were.
    const section = codeSectionFromWord((m[2] ?? '').split(/\s+/)[0] ?? '');
    return section === undefined ? { kind: 'code', code: Number(m[1]) } : { kind: 'code', code: Number(m[1]), section };
  }
  if ((m = /^([1-6])(?:xx|\*\*)?$/.exec(q))) return { kind: 'class', cls: Number(m[1]) };
  if ((m = /^(?:q\.?\s?850|isdn|cause)(?:\s+cause)?\s*[:=#]?\s*(\d{1,3})$/.exec(q))) return { kind: 'q850', cause: Number(m[1]) };
  if ((m = /^(?:warning|warn|warn-code)\s*[:=#]?\s*(\d{3})$/.exec(q))) return { kind: 'warning', code: Number(m[1]) };
  if ((m = /^(?:teams|ms|microsoft)?\s*(?:code\s*)?(\d{6})$/.exec(q))) return { kind: 'teams', code: m[1] ?? '' };
  return { kind: 'search', text };
}
