import type { CodeEntry, PlatformId, PlatformTable, Q850Cause, Scenario, UnregisteredCode } from './schema.js';

/**
 * Traceability of vendor statements. Every sentence that says what Asterisk, Kamailio, Twilio… do must name
 * sources from knowledge/platforms/<platform>.yaml, and what cards say about one platform and code must agree
 * with that table and with each other. Pure: it reads validated data and returns problems, so the loader can
 * refuse to start on the first and `npm run knowledge:check` can list them all.
 */
export interface VendorProblem {
  /** The knowledge file at fault, relative to the knowledge root. */
  readonly file: string;
  /** The field inside it, e.g. "platforms.2.source" or "causes.1". */
  readonly path: string;
  readonly message: string;
}

export interface VendorCheckInput {
  readonly codes: readonly CodeEntry[];
  readonly q850: readonly Q850Cause[];
  readonly unregistered: readonly UnregisteredCode[];
  readonly scenarios: readonly Scenario[];
  readonly tables: readonly PlatformTable[];
}

interface Note {
  readonly file: string;
  readonly path: string;
  readonly platform: PlatformId;
  readonly text: string;
  readonly source: readonly string[];
  /** The SIP code the card is about, for code cards. */
  readonly code?: number;
  readonly nextRoute?: 'yes' | 'no' | 'configurable';
}

/** "a received 401, 403, 407 or 603 into cause 21", "turns a received 483 into hangup cause 19". */
const RECEIVED_CLAIM = /\breceived ((?:\d{3}(?:,| or| and)? ?)+)[^.;]*?\b(?:to|into|becomes?)\b[^.;]*?\bcause (\d{1,3})\b/g;
/** "(maps|turns) (every|a) 503 … to cause 34": the code comes first, the word received may be missing. */
const MAPS_CLAIM = /\b(?:maps|turns) (?:a |every |each )?(?:received )?(\d{3})\b[^.;]*?\b(?:to|into)\b[^.;]*?\bcause (\d{1,3})\b/g;

export function checkVendorStatements(input: VendorCheckInput): VendorProblem[] {
  const problems: VendorProblem[] = [];
  const byPlatform = new Map(input.tables.map((t) => [t.platform, t]));
  const owner = new Map<string, PlatformId>();
  for (const table of input.tables) {
    const file = `platforms/${table.platform}.yaml`;
    table.sources.forEach((s, i) => {
      const seen = owner.get(s.id);
      if (seen !== undefined) problems.push({ file, path: `sources.${i}.id`, message: `${s.id} is already a source of ${seen}` });
      owner.set(s.id, table.platform);
    });
    table.behaviours.forEach((b, i) => {
      for (const id of b.source) {
        if (owner.get(id) !== table.platform) problems.push({ file, path: `behaviours.${i}.source`, message: `${id} is not a source listed in this file` });
      }
    });
  }

  const notes = collectNotes(input);
  for (const n of notes) {
    for (const id of n.source) {
      const p = owner.get(id);
      if (p === undefined) problems.push({ file: n.file, path: n.path, message: `cites ${id}, which no table in knowledge/platforms/ lists` });
      else if (p !== n.platform) problems.push({ file: n.file, path: n.path, message: `cites ${id}, a ${p} source, for a ${n.platform} statement` });
    }
  }

  problems.push(...unsourcedMentions(input, byPlatform, owner));
  problems.push(...failoverDisagreements(notes, byPlatform));
  problems.push(...mappingDisagreements(notes, byPlatform));
  problems.push(...unregisteredAsStandard(input));
  problems.push(...phraseDisagreements(input, byPlatform, owner));
  return problems;
}

/** A variant credited to a platform must start with that platform's reply text for the code, where the table has one. */
function phraseDisagreements(
  input: VendorCheckInput,
  tables: ReadonlyMap<PlatformId, PlatformTable>,
  owner: ReadonlyMap<string, PlatformId>,
): VendorProblem[] {
  const problems: VendorProblem[] = [];
  for (const e of input.codes) {
    e.variants.forEach((v, i) => {
      for (const platform of new Set((v.source ?? []).map((id) => owner.get(id)))) {
        if (platform === undefined) continue;
        const row = tables.get(platform)?.behaviours.find((b) => b.kind === 'phrases');
        const expected = row?.kind === 'phrases' ? row.map[String(e.code)] : undefined;
        if (typeof expected === 'string' && !v.phrase.toLowerCase().startsWith(expected.toLowerCase())) {
          problems.push({
            file: `codes/${e.code}.yaml`,
            path: `variants.${i}.phrase`,
            message: `"${v.phrase}" is credited to ${platform}, whose table (${row?.id}) gives "${expected}" for ${e.code}`,
          });
        }
      }
    });
  }
  return problems;
}

function collectNotes(input: VendorCheckInput): Note[] {
  const notes: Note[] = [];
  for (const e of input.codes) {
    const file = `codes/${e.code}.yaml`;
    e.platforms.forEach((p, i) => notes.push({ file, path: `platforms.${i}.source`, platform: p.platform, text: p.note, source: p.source, code: e.code }));
    (e.failover?.platforms ?? []).forEach((p, i) =>
      notes.push({ file, path: `failover.platforms.${i}.source`, platform: p.platform, text: p.note, source: p.source, code: e.code, nextRoute: p.nextRoute }),
    );
  }
  for (const q of input.q850) {
    q.platforms.forEach((p, i) => notes.push({ file: 'q850.yaml', path: `cause ${q.cause}.platforms.${i}.source`, platform: p.platform, text: p.note, source: p.source }));
  }
  return notes;
}

function mentionPatterns(tables: ReadonlyMap<PlatformId, PlatformTable>): Map<PlatformId, RegExp> {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new Map([...tables].map(([id, t]) => [id, new RegExp(`(?<![\\w-])(?:${t.mentions.map(escape).join('|')})(?![\\w-])`)]));
}

/** A sentence that names a platform needs a source of that platform beside it. */
function unsourcedMentions(
  input: VendorCheckInput,
  tables: ReadonlyMap<PlatformId, PlatformTable>,
  owner: ReadonlyMap<string, PlatformId>,
): VendorProblem[] {
  const patterns = mentionPatterns(tables);
  const problems: VendorProblem[] = [];
  const need = (file: string, path: string, text: string, sources: readonly string[] | undefined): void => {
    const cited = new Set((sources ?? []).map((id) => owner.get(id)));
    for (const [platform, re] of patterns) {
      if (re.test(text) && !cited.has(platform)) {
        problems.push({ file, path, message: `names ${platform} but cites no ${platform} source from knowledge/platforms/${platform}.yaml` });
      }
    }
  };
  for (const e of input.codes) {
    const file = `codes/${e.code}.yaml`;
    for (const key of ['causes', 'checks', 'fixes'] as const) {
      e[key].forEach((text, i) => need(file, `${key}.${i}`, text, e.citations[`${key}.${i}`]));
    }
    const prose = [e.summary, e.meaning, e.retry?.advice, e.retry?.retryAfter, e.failover?.generic].filter((t) => t !== undefined).join(' ');
    need(file, 'summary, meaning, retry or failover.generic (vendorSources)', prose, e.vendorSources);
    e.variants.forEach((v, i) => need(file, `variants.${i}`, v.seenIn, v.source));
  }
  for (const q of input.q850) need('q850.yaml', `cause ${q.cause}.meaning (vendorSources)`, q.meaning, q.vendorSources);
  for (const s of input.scenarios) {
    const text = [s.symptom, ...s.steps.flatMap((step) => [step.check, step.finding]), s.resolution].join(' ');
    need(`scenarios/${s.id}.yaml`, 'steps or resolution (vendorSources)', text, s.vendorSources);
  }
  for (const u of input.unregistered) {
    need('unregistered.yaml', `code ${u.code} (vendorSources)`, [u.origin, u.meaning, ...u.causes].join(' '), u.vendorSources);
  }
  return problems;
}

/** A card's failover verdict for a platform must match that platform's failover rows for the code. */
function failoverDisagreements(notes: readonly Note[], tables: ReadonlyMap<PlatformId, PlatformTable>): VendorProblem[] {
  const problems: VendorProblem[] = [];
  for (const n of notes) {
    if (n.nextRoute === undefined || n.code === undefined) continue;
    const rows = (tables.get(n.platform)?.behaviours ?? []).filter((b) => b.kind === 'failover');
    for (const row of rows) {
      const expected = row.codes.includes(n.code) ? row.nextRoute : row.otherwise;
      if (expected !== undefined && expected !== n.nextRoute) {
        problems.push({
          file: n.file,
          path: n.path.replace(/\.source$/, '.nextRoute'),
          message: `says ${n.platform} nextRoute "${n.nextRoute}" for ${n.code}; knowledge/platforms/${n.platform}.yaml (${row.id}) says "${expected}"`,
        });
      }
    }
  }
  return problems;
}

/**
 * What a received code becomes: claims read from note text must agree with the platform's `receives` row and
 * with every other note about the same platform and code.
 */
function mappingDisagreements(notes: readonly Note[], tables: ReadonlyMap<PlatformId, PlatformTable>): VendorProblem[] {
  const problems: VendorProblem[] = [];
  const claimed = new Map<string, { cause: number; where: string }>();
  for (const n of notes) {
    for (const { code, cause } of receivedClaims(n.text)) {
      const row = (tables.get(n.platform)?.behaviours ?? []).find((b) => b.kind === 'receives');
      if (row !== undefined && row.kind === 'receives') {
        const expected = expectedCause(row.map, row.otherwise, code);
        if (expected !== undefined && expected !== cause) {
          problems.push({
            file: n.file,
            path: n.path.replace(/\.source$/, '.note'),
            message: `says ${n.platform} turns a received ${code} into cause ${cause}; knowledge/platforms/${n.platform}.yaml (${row.id}) says ${expected}`,
          });
        }
      }
      const key = `${n.platform}:${code}`;
      const other = claimed.get(key);
      if (other !== undefined && other.cause !== cause) {
        problems.push({
          file: n.file,
          path: n.path.replace(/\.source$/, '.note'),
          message: `says ${n.platform} turns a received ${code} into cause ${cause}, but ${other.where} says ${other.cause}`,
        });
      } else claimed.set(key, { cause, where: `${n.file} ${n.path.replace(/\.source$/, '')}` });
    }
  }
  return problems;
}

export function receivedClaims(text: string): { code: number; cause: number }[] {
  // Both patterns can read the same phrase; a claim counts once.
  const seen = new Map<string, { code: number; cause: number }>();
  for (const re of [RECEIVED_CLAIM, MAPS_CLAIM]) {
    for (const m of text.matchAll(re)) {
      const cause = Number(m[2]);
      for (const code of (m[1] ?? '').match(/\d{3}/g) ?? []) seen.set(`${code}:${cause}`, { code: Number(code), cause });
    }
  }
  return [...seen.values()];
}

function expectedCause(map: Readonly<Record<string, number | string>>, otherwise: Readonly<Record<string, number>> | undefined, code: number): number | undefined {
  const direct = map[String(code)];
  if (typeof direct === 'number') return direct;
  return otherwise?.[`${Math.floor(code / 100)}xx`] ?? otherwise?.['any'];
}

/** Unregistered codes in card text must be called unregistered where they are named. */
function unregisteredAsStandard(input: VendorCheckInput): VendorProblem[] {
  const codes = input.unregistered.map((u) => u.code);
  if (codes.length === 0) return [];
  const re = new RegExp(`(?<![\\d.:;=-])(?:${codes.join('|')})(?![\\d.:])`);
  const problems: VendorProblem[] = [];
  for (const e of input.codes) {
    const file = `codes/${e.code}.yaml`;
    const texts: [string, string][] = [
      ['meaning', e.meaning],
      ...(['causes', 'checks', 'fixes'] as const).flatMap((k) => e[k].map((t, i): [string, string] => [`${k}.${i}`, t])),
      ...e.platforms.map((p, i): [string, string] => [`platforms.${i}.note`, p.note]),
      ...(e.failover?.platforms ?? []).map((p, i): [string, string] => [`failover.platforms.${i}.note`, p.note]),
    ];
    for (const [path, text] of texts) {
      if (re.test(text) && !/\bunregistered\b|not in the IANA registry/i.test(text)) {
        problems.push({ file, path, message: `names an unregistered code (${text.match(re)?.[0]}) without saying it is unregistered` });
      }
    }
  }
  return problems;
}
