import type { CodeEntry } from './schema.js';

export interface SearchHit {
  readonly code: number;
  readonly score: number;
}

export interface SearchIndex {
  search(query: string, limit: number): SearchHit[];
}

// Field weights: a word in the reason phrase says more about a code than the same word in its summary.
const WEIGHT = { reason: 8, keyword: 6, variant: 5, summary: 1 } as const;
const PHRASE_BONUS = 10;
const STOP_WORDS = new Set(['the', 'a', 'an', 'is', 'of', 'to', 'and', 'or', 'in', 'on', 'for', 'not', 'sip', 'error', 'code', 'with', 'was', 'it', 'my', 'what', 'does', 'mean', 'why']);

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word.length > 1 && !STOP_WORDS.has(word)) out.push(stem(word));
  }
  return out;
}

// A light suffix strip so that "timeout"/"timeouts" and "rejected"/"rejecting" meet; no dictionary needed.
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

interface Document {
  readonly code: number;
  readonly phrases: readonly string[];
}

/** An inverted index over reason phrases, keywords, variants and summaries, built once at load. */
export function buildSearchIndex(entries: readonly CodeEntry[]): SearchIndex {
  const postings = new Map<string, Map<number, number>>();
  const docs: Document[] = [];
  const add = (token: string, code: number, weight: number): void => {
    let row = postings.get(token);
    if (row === undefined) postings.set(token, (row = new Map()));
    // Count each field once per token so a summary that repeats a word does not outrank a reason phrase.
    row.set(code, Math.max(row.get(code) ?? 0, weight));
  };
  for (const e of entries) {
    for (const t of tokenize(e.reason)) add(t, e.code, WEIGHT.reason);
    for (const k of e.keywords) for (const t of tokenize(k)) add(t, e.code, WEIGHT.keyword);
    for (const v of e.variants) for (const t of tokenize(v.phrase)) add(t, e.code, WEIGHT.variant);
    for (const t of tokenize(e.summary)) add(t, e.code, WEIGHT.summary);
    docs.push({
      code: e.code,
      phrases: [e.reason, ...e.keywords, ...e.variants.map((v) => v.phrase)].map((p) => p.toLowerCase()),
    });
  }
  const byCode = new Map(docs.map((d) => [d.code, d]));

  return {
    search(query: string, limit: number): SearchHit[] {
      const tokens = tokenize(query);
      if (tokens.length === 0) return [];
      const scores = new Map<number, number>();
      for (const token of tokens) {
        const row = postings.get(token);
        if (row === undefined) continue;
        for (const [code, weight] of row) scores.set(code, (scores.get(code) ?? 0) + weight);
      }
      const q = query.toLowerCase().trim();
      const hits: SearchHit[] = [];
      for (const [code, score] of scores) {
        const doc = byCode.get(code);
        const phrase = doc !== undefined && doc.phrases.some((p) => p === q || (q.length > 3 && p.includes(q)));
        hits.push({ code, score: score + (phrase ? PHRASE_BONUS : 0) });
      }
      hits.sort((a, b) => b.score - a.score || a.code - b.code);
      return hits.slice(0, limit);
    },
  };
}
