import { normalizeNumber } from '../calls/phone-number.js';

/** A `/sip calls …` or `siptriage calls …` search, as words typed. */
export interface CallsQuery {
  readonly periodMs: number;
  readonly code?: number;
  readonly codeClass?: number;
  readonly peer?: string;
  readonly number?: string;
  readonly callId?: string;
}

const PERIODS: Readonly<Record<string, number>> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

/** Reads "486", "5xx", "203.0.113.7", "+4930123", "call-id X" or "X@host", and "1h|24h|7d" (24h by default). */
export function parseCallsQuery(text: string): { ok: true; query: CallsQuery } | { ok: false; problem: string } {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const q: { -readonly [K in keyof CallsQuery]: CallsQuery[K] } = { periodMs: PERIODS['24h']! };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const lower = w.toLowerCase();
    if (PERIODS[lower] !== undefined) q.periodMs = PERIODS[lower];
    else if (/^[1-6]\d\d$/.test(w)) q.code = Number(w);
    else if (/^[1-6]xx$/.test(lower)) q.codeClass = Number(lower[0]);
    else if (lower === 'call-id' || lower === 'callid') {
      const id = words[++i];
      if (id === undefined) return { ok: false, problem: 'call-id needs the Call-ID after it' };
      q.callId = id;
    } else if (w.includes('@')) q.callId = w;
    else if (/^[+0-9]/.test(w) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(w) && normalizeNumber(w) !== undefined) q.number = normalizeNumber(w) ?? w;
    else if (/^[A-Za-z0-9.:[\]-]{1,255}$/.test(w)) q.peer = w;
    else return { ok: false, problem: `"${w.slice(0, 40)}" is not a code, class (5xx), peer, number, Call-ID or period (1h, 24h, 7d)` };
  }
  return { ok: true, query: q };
}

/**
 * Where a page of `/sip calls` starts: before this time, and, when the row's id is given, also the calls of
 * that same millisecond listed after it (the list runs time DESC, id DESC), so that a burst of calls in one
 * millisecond is paged through without a gap.
 */
export interface CallsCursor {
  readonly time: number;
  /** The store id of the last row shown; absent in the old "before MS" form, which means time < MS. */
  readonly id?: string;
}

/** `/sip calls …` in chat: a list (paged back with `before`), or one call opened by Call-ID. */
export type CallsCommand =
  | { readonly action: 'list'; readonly query: CallsQuery; readonly words: string; readonly before?: CallsCursor; readonly examples?: boolean }
  | { readonly action: 'open'; readonly callId: string }
  | { readonly action: 'invalid'; readonly problem: string };

export const CALLS_USAGE = [
  '`calls [code|5xx|peer|number|call-id ID] [1h|24h|7d]`: the latest kept calls that match, newest first',
  '`calls open CALL-ID`: one kept call, triaged as a pasted trace (both legs when joined)',
];

/**
 * Reads what follows `/sip calls` (case kept: Call-IDs are case-sensitive). "open ID" opens a call; a trailing
 * "before MS.ID" pages back from the last row shown (the More button writes it), and "before MS", which buttons
 * already posted carry, still pages back from that time.
 */
export function parseCallsCommand(text: string): CallsCommand {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  if (words[0]?.toLowerCase() === 'open') {
    const id = words[1];
    return id === undefined || words.length > 2 ? { action: 'invalid', problem: 'open takes one Call-ID' } : { action: 'open', callId: id };
  }
  // "examples": an alert's button, the three latest calls behind it.
  const examples = words[0]?.toLowerCase() === 'examples';
  if (examples) words.shift();
  let before: CallsCursor | undefined;
  const at = words.findIndex((w) => w.toLowerCase() === 'before');
  if (at !== -1) {
    before = cursorOf(words[at + 1] ?? '');
    if (before === undefined) return { action: 'invalid', problem: 'before takes a time in milliseconds, or the time and row id a More button gives (MS.ID)' };
    words.splice(at, 2);
  }
  const parsed = parseCallsQuery(words.join(' '));
  if (!parsed.ok) return { action: 'invalid', problem: parsed.problem };
  return { action: 'list', query: parsed.query, words: words.join(' '), ...(before === undefined ? {} : { before }), ...(examples ? { examples } : {}) };
}

/** The cursor as a More button writes it: "MS.ID", compact enough for a button beside the search words. */
export function cursorText(c: CallsCursor): string {
  return c.id === undefined ? String(c.time) : `${c.time}.${c.id}`;
}

// Both stores number kept calls with integers (SQLite rowid, a PostgreSQL sequence): 19 digits hold any of them.
const MAX_ID = 2n ** 63n - 1n;
const CURSOR = /^(\d{1,16})(?:\.(\d{1,19}))?$/;

function cursorOf(word: string): CallsCursor | undefined {
  const m = CURSOR.exec(word);
  if (m === null) return undefined;
  const time = Number(m[1]);
  if (!Number.isSafeInteger(time) || time <= 0) return undefined;
  if (m[2] === undefined) return { time };
  // Past a signed 64-bit integer PostgreSQL refuses the comparison; no store hands out such an id.
  return BigInt(m[2]) > MAX_ID ? undefined : { time, id: m[2] };
}
