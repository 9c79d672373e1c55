import type {
  ClassEntry,
  CodeEntry,
  Platform,
  PlatformId,
  PlatformTable,
  Q850Cause,
  Scenario,
  TeamsCode,
  UnregisteredCode,
  VendorSource,
  WarningCode,
} from './schema.js';
import { buildSearchIndex, type SearchHit, type SearchIndex } from './search-index.js';

/** Validated knowledge, as the loader hands it over. */
export interface KnowledgeData {
  readonly codes: readonly CodeEntry[];
  readonly unregistered: readonly UnregisteredCode[];
  readonly classes: readonly ClassEntry[];
  readonly q850: readonly Q850Cause[];
  readonly warnings: readonly WarningCode[];
  readonly teams: readonly TeamsCode[];
  readonly scenarios: readonly Scenario[];
  readonly platforms: readonly Platform[];
  /** knowledge/platforms/*.yaml: each platform's sources and behaviour table. */
  readonly tables: readonly PlatformTable[];
}

/** A registered vendor source and the platform whose table lists it. */
export interface SourceEntry {
  readonly platform: PlatformId;
  readonly source: VendorSource;
}

/** What a reason phrase tells us, keyed back to the code it belongs to. */
export interface PhraseMatch {
  readonly code: number;
  readonly kind: 'registered' | 'variant';
  readonly seenIn?: string;
}

/**
 * The typed, read-only lookup API over the knowledge data. Building it is pure; loading the files is
 * load-knowledge.ts's job.
 */
export class KnowledgeBase {
  readonly data: KnowledgeData;
  readonly #codes: ReadonlyMap<number, CodeEntry>;
  readonly #unregistered: ReadonlyMap<number, UnregisteredCode>;
  readonly #classes: ReadonlyMap<number, ClassEntry>;
  readonly #q850: ReadonlyMap<number, Q850Cause>;
  readonly #warnings: ReadonlyMap<number, WarningCode>;
  readonly #scenarios: ReadonlyMap<string, Scenario>;
  readonly #platforms: ReadonlyMap<PlatformId, Platform>;
  readonly #phrases: ReadonlyMap<string, PhraseMatch>;
  readonly #sources: ReadonlyMap<string, SourceEntry>;
  #index: SearchIndex | undefined;

  constructor(data: KnowledgeData) {
    this.data = data;
    this.#codes = new Map(data.codes.map((e) => [e.code, e]));
    this.#unregistered = new Map(data.unregistered.map((e) => [e.code, e]));
    this.#classes = new Map(data.classes.map((e) => [e.class, e]));
    this.#q850 = new Map(data.q850.map((e) => [e.cause, e]));
    this.#warnings = new Map(data.warnings.map((e) => [e.code, e]));
    this.#scenarios = new Map(data.scenarios.map((e) => [e.id, e]));
    this.#platforms = new Map(data.platforms.map((e) => [e.id, e]));
    const phrases = new Map<string, PhraseMatch>();
    for (const e of data.codes) {
      for (const v of e.variants) phrases.set(normalisePhrase(v.phrase), { code: e.code, kind: 'variant', seenIn: v.seenIn });
    }
    // Registered phrases win over variants that happen to coincide.
    for (const e of data.codes) phrases.set(normalisePhrase(e.reason), { code: e.code, kind: 'registered' });
    this.#phrases = phrases;
    this.#sources = new Map(data.tables.flatMap((t) => t.sources.map((s): [string, SourceEntry] => [s.id, { platform: t.platform, source: s }])));
  }

  /** A registered code's entry. */
  code(code: number): CodeEntry | undefined {
    return this.#codes.get(code);
  }

  /** A code seen on the wire that IANA never registered (Kamailio 477, pjsip 701, …). */
  unregistered(code: number): UnregisteredCode | undefined {
    return this.#unregistered.get(code);
  }

  isRegistered(code: number): boolean {
    return this.#codes.has(code);
  }

  /** The class (1–6) entry; codes outside 100–699 have none. */
  classOf(code: number): ClassEntry | undefined {
    return this.#classes.get(Math.floor(code / 100));
  }

  classEntry(cls: number): ClassEntry | undefined {
    return this.#classes.get(cls);
  }

  codesInClass(cls: number): CodeEntry[] {
    return this.data.codes.filter((e) => Math.floor(e.code / 100) === cls);
  }

  q850(cause: number): Q850Cause | undefined {
    return this.#q850.get(cause);
  }

  warning(code: number): WarningCode | undefined {
    return this.#warnings.get(code);
  }

  scenario(id: string): Scenario | undefined {
    return this.#scenarios.get(id);
  }

  platform(id: PlatformId): Platform | undefined {
    return this.#platforms.get(id);
  }

  /** A vendor source by id, as listed in knowledge/platforms/. */
  source(id: string): SourceEntry | undefined {
    return this.#sources.get(id);
  }

  /** The platform a Server or User-Agent value names, if we know it. */
  platformForUserAgent(userAgent: string): Platform | undefined {
    const ua = userAgent.toLowerCase();
    return this.data.platforms.find((p) => p.userAgents.some((needle) => ua.includes(needle)));
  }

  /** Microsoft Teams Direct Routing code: the most specific pattern that matches wins. */
  teams(code: string): TeamsCode | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    let best: TeamsCode | undefined;
    let bestFixed = -1;
    for (const entry of this.data.teams) {
      const fixed = entry.pattern.replace(/x+$/, '');
      if (code.startsWith(fixed) && fixed.length > bestFixed) {
        best = entry;
        bestFixed = fixed.length;
      }
    }
    return best;
  }

  /** Which code a reason phrase belongs to, registered or a known variant. Keys stay codes. */
  phrase(phrase: string): PhraseMatch | undefined {
    return this.#phrases.get(normalisePhrase(phrase));
  }

  search(query: string, limit = 5): SearchHit[] {
    // Built on the first search rather than at start-up, where every millisecond is waited for.
    this.#index ??= buildSearchIndex(this.data.codes);
    return this.#index.search(query, limit);
  }
}

function normalisePhrase(phrase: string): string {
  return phrase.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
