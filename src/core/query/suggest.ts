import { codeAnswer } from '../card/code-answer.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';

/** One completion: what the person sees, and the query it stands for. */
export interface Suggestion {
  readonly label: string;
  readonly query: string;
}

export interface SuggestOptions {
  readonly limit?: number;
  /** Longest label; chat platforms cap choice names (Discord: 100 characters). */
  readonly maxLabel?: number;
}

type Family = 'code' | 'class' | 'q850' | 'warning';

interface Entry {
  readonly family: Family;
  readonly key: number;
  readonly label: string;
  readonly query: string;
}

/** A word of an entry, weighted by where it came from: a reason phrase names a code better than a keyword. */
interface Posting {
  readonly word: string;
  readonly entry: number;
  readonly weight: number;
}

interface SuggestIndex {
  readonly entries: readonly Entry[];
  /** Sorted by word so a prefix is a contiguous range found by binary search. */
  readonly words: readonly Posting[];
}

const DEFAULT_LIMIT = 25;
// What an empty box offers: the failures people ask about most, in code order.
const STARTERS = [401, 403, 404, 407, 408, 480, 486, 487, 488, 500, 502, 503, 504, 603];
const WEIGHT = { reason: 3, keyword: 2, variant: 1 } as const;

const cache = new WeakMap<KnowledgeBase, SuggestIndex>();

/**
 * Completions for a half-typed /sip query, from the in-memory knowledge only, so a chat platform's
 * autocomplete deadline is never at risk: "50" → 500…504, "bus" → 486 Busy Here / 600 Busy Everywhere,
 * "q850 1" → causes 1, 16, 17…, "warn 30" → warn-codes. Pure; the index is built once per knowledge base.
 */
export function suggest(kb: KnowledgeBase, input: string, options: SuggestOptions = {}): Suggestion[] {
  const index = cache.get(kb) ?? buildIndex(kb);
  cache.set(kb, index);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const maxLabel = options.maxLabel ?? 100;
  const q = input.toLowerCase().replace(/^\s*\/?sip\b/, '').trim().slice(0, 100);
  // The trailing space matters here: "503 " asks for the parts of 503, "503" for codes starting 503.
  const parts = partSuggestions(kb, input.toLowerCase().replace(/^\s*\/?sip\b/, '').trimStart().slice(0, 100));
  if (parts !== undefined) return parts.slice(0, limit).map((p) => ({ label: clip(p.label, maxLabel), query: p.query }));
  return rank(kb, index, q)
    .slice(0, limit)
    .map((e) => ({ label: clip(e.label, maxLabel), query: e.query }));
}

/** "503 f" → "503 Service Unavailable: Fixes": the parts of a registered code, once a space follows it. */
function partSuggestions(kb: KnowledgeBase, q: string): Suggestion[] | undefined {
  const m = /^(\d{3})\s+(\S*)\s*$/.exec(q);
  const entry = m === null ? undefined : kb.code(Number(m[1]));
  if (m === null || entry === undefined) return undefined;
  const word = m[2] ?? '';
  return codeAnswer(kb, entry)
    .sections.filter((s) => s.id.startsWith(word) || s.label.toLowerCase().startsWith(word))
    .map((s) => ({ label: `${entry.code} ${entry.reason}: ${s.label}`, query: s.query }));
}

function rank(kb: KnowledgeBase, index: SuggestIndex, q: string): Entry[] {
  const { entries } = index;
  if (q === '') return STARTERS.flatMap((code) => entries.filter((e) => e.family === 'code' && e.key === code));
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,3})(x{0,2})$/.exec(q))) {
    const digits = m[1] ?? '';
    const classes = digits.length === 1 ? entries.filter((e) => e.family === 'class' && String(e.key) === digits) : [];
    const codes = entries.filter((e) => e.family === 'code' && String(e.key).startsWith(digits));
    return [...classes, ...codes.sort((a, b) => a.key - b.key)];
  }
  if ((m = /^(?:q\.?\s?8?5?0?|cause|isdn)\s*(?:cause)?\s*[:=#]?\s*(\d{0,3})$/.exec(q)) && /^(q|cause|isdn)/.test(q)) {
    const digits = m[1] ?? '';
    return entries.filter((e) => e.family === 'q850' && String(e.key).startsWith(digits));
  }
  if ((m = /^warn(?:ing|-code)?\s*[:=#]?\s*(\d{0,3})$/.exec(q))) {
    const digits = m[1] ?? '';
    return entries.filter((e) => e.family === 'warning' && String(e.key).startsWith(digits));
  }
  const prefixed = byWords(index, q);
  if (prefixed.length > 0) return prefixed;
  // A sentence ("my calls get busy tone") has words no entry starts with: fall back to the ranked search.
  return kb.search(q, DEFAULT_LIMIT).flatMap((hit) => entries.filter((e) => e.family === 'code' && e.key === hit.code));
}

// Every typed word must start some word of the entry; the last one may be half typed, earlier ones too.
function byWords(index: SuggestIndex, q: string): Entry[] {
  const typed = q.split(/[^a-z0-9]+/).filter((w) => w !== '');
  if (typed.length === 0) return [];
  let scores: Map<number, number> | undefined;
  for (const word of typed) {
    const hits = new Map<number, number>();
    for (const p of prefixRange(index.words, word)) {
      const exact = p.word === word ? 1 : 0;
      hits.set(p.entry, Math.max(hits.get(p.entry) ?? 0, p.weight + exact));
    }
    if (scores === undefined) scores = hits;
    else {
      const next = new Map<number, number>();
      for (const [entry, score] of scores) {
        const more = hits.get(entry);
        if (more !== undefined) next.set(entry, score + more);
      }
      scores = next;
    }
  }
  return [...(scores ?? [])]
    .sort((a, b) => b[1] - a[1] || (index.entries[a[0]]?.key ?? 0) - (index.entries[b[0]]?.key ?? 0))
    .flatMap(([i]) => index.entries[i] ?? []);
}

function prefixRange(words: readonly Posting[], prefix: string): Posting[] {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((words[mid]?.word ?? '') < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: Posting[] = [];
  for (let i = lo; i < words.length; i++) {
    const p = words[i];
    if (p === undefined || !p.word.startsWith(prefix)) break;
    out.push(p);
  }
  return out;
}

function buildIndex(kb: KnowledgeBase): SuggestIndex {
  const entries: Entry[] = [];
  const words: Posting[] = [];
  const add = (entry: Entry, weighted: readonly (readonly [string, number])[]): void => {
    const i = entries.push(entry) - 1;
    for (const [text, weight] of weighted) {
      for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) if (word.length > 1) words.push({ word, entry: i, weight });
    }
  };
  for (const e of kb.data.codes) {
    add({ family: 'code', key: e.code, label: `${e.code} ${e.reason}`, query: String(e.code) }, [
      [e.reason, WEIGHT.reason],
      ...e.keywords.map((k) => [k, WEIGHT.keyword] as const),
      ...e.variants.map((v) => [v.phrase, WEIGHT.variant] as const),
    ]);
  }
  for (const e of kb.data.unregistered) {
    if (kb.isRegistered(e.code)) continue;
    add({ family: 'code', key: e.code, label: `${e.code} ${e.reason} (not registered)`, query: String(e.code) }, [[e.reason, WEIGHT.variant]]);
  }
  for (const c of kb.data.classes) {
    add({ family: 'class', key: c.class, label: `${c.class}xx ${c.name}`, query: `${c.class}xx` }, [[c.name, WEIGHT.variant]]);
  }
  for (const c of kb.data.q850) {
    add({ family: 'q850', key: c.cause, label: `Q.850 cause ${c.cause}: ${c.name}`, query: `q850 ${c.cause}` }, [[c.name, WEIGHT.variant]]);
  }
  for (const w of kb.data.warnings) {
    add({ family: 'warning', key: w.code, label: `Warning ${w.code}: ${w.text}`, query: `warning ${w.code}` }, [[w.text, WEIGHT.variant]]);
  }
  words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : a.entry - b.entry));
  return { entries, words };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
