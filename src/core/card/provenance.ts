import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { CodeEntry } from '../../knowledge/schema.js';
import type { CardProvenance, CardSource } from './card.js';

/**
 * Where a code card's vendor statements come from (knowledge/platforms/), the versions each source was read
 * at, and when a person last checked the card: what `--json` shows so an answer can be traced and re-checked.
 */
export function codeProvenance(kb: KnowledgeBase, entry: CodeEntry): CardProvenance {
  const ids = new Set<string>([
    ...entry.platforms.flatMap((p) => p.source),
    ...(entry.failover?.platforms ?? []).flatMap((p) => p.source),
    ...Object.values(entry.citations).flat(),
    ...entry.variants.flatMap((v) => v.source ?? []),
    ...(entry.vendorSources ?? []),
  ]);
  const sources: CardSource[] = [];
  for (const id of [...ids].sort()) {
    const found = kb.source(id);
    if (found === undefined) continue;
    const s = found.source;
    const where = 'url' in s ? `${s.title} <${s.url}>` : `${s.repo} ${s.path}${s.symbol === undefined ? '' : ` ${s.symbol}()`}`;
    sources.push({ id, platform: found.platform, where, ...(s.versions === undefined ? {} : { versions: s.versions }) });
  }
  return { reviewed: entry.reviewed ?? null, sources };
}
