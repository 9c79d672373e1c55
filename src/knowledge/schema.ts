import { z } from 'zod';

/**
 * The shape of everything under knowledge/. Types come from these schemas, so a data file and the code
 * that reads it cannot drift apart. Strict objects: a misspelt key in a YAML file is an error, not a
 * silently ignored field.
 */

/**
 * Text between min and max characters with no stray whitespace at either end. One refine instead of
 * trim/min/max checks: the knowledge is validated at every start, and this halves its cost.
 */
function bounded(min: number, max: number) {
  return z
    .string()
    .refine((s) => s.length >= min && s.length <= max && s.trim() === s, `must be ${min} to ${max} characters, without spaces at either end`);
}

const text = bounded(1, 2000);
const sentence = bounded(3, 600);

/** Platforms we write notes for; the ids are used in data files, so they are short and stable. */
export const platformIds = [
  'asterisk',
  'freeswitch',
  'kamailio',
  'opensips',
  'twilio',
  'teams',
  'cisco-cube',
  '3cx',
] as const;
export const PlatformId = z.enum(platformIds);
export type PlatformId = z.infer<typeof PlatformId>;

/** Who usually has to act to fix the failure. */
export const ownerIds = [
  'caller',
  'callee',
  'proxy',
  'registrar',
  'provider',
  'network',
  'policy',
] as const;
export const Owner = z.enum(ownerIds);
export type Owner = z.infer<typeof Owner>;

/** Whether the same request is worth sending again, and how. */
export const retryIds = [
  'no',
  'yes',
  'after-delay',
  'with-changes',
  'elsewhere',
] as const;
export const RetryVerdict = z.enum(retryIds);
export type RetryVerdict = z.infer<typeof RetryVerdict>;

/** A reference to the document a fact comes from: "RFC 3261 §21.5.4" or a vendor page title. */
const source = bounded(3, 300);

/** The id of a row in a knowledge/platforms/*.yaml source table, e.g. "asterisk-sip2cause". */
export const SourceId = z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/, 'must be a source id from knowledge/platforms/ (lower case, digits and dashes)');
/** One source id or several; always a list once parsed. */
export const SourceRefs = z
  .union([SourceId, z.array(SourceId).min(1)])
  .transform((v) => (typeof v === 'string' ? [v] : v));

/**
 * A list item (cause, check, fix) as written: plain text, or text with the vendor sources behind it. Vendor
 * statements must carry their sources; the check in vendor-check.ts says which items name a vendor.
 */
const CitedItem = z.union([sentence, z.strictObject({ text: sentence, source: SourceRefs })]);
type CitedItem = z.output<typeof CitedItem>;

export const citedText = (item: CitedItem): string => (typeof item === 'string' ? item : item.text);
export const citedSources = (item: CitedItem): readonly string[] => (typeof item === 'string' ? [] : item.source);

const PlatformNote = z.strictObject({
  platform: PlatformId,
  note: sentence,
  source: SourceRefs,
});
export type PlatformNote = z.infer<typeof PlatformNote>;

/** "Will this response make X try the next route?" — yes, no, or it depends on configuration. */
const FailoverVerdict = z.enum(['yes', 'no', 'configurable']);
const FailoverNote = z.strictObject({
  platform: PlatformId,
  nextRoute: FailoverVerdict,
  note: sentence,
  source: SourceRefs,
});
export type FailoverNote = z.infer<typeof FailoverNote>;

const Retry = z.strictObject({
  verdict: RetryVerdict,
  advice: sentence,
  /** What a Retry-After header changes for this code, where it applies (RFC 3261 §20.33). */
  retryAfter: sentence.optional(),
});

const Failover = z.strictObject({
  /** What RFC 3261 §16.7 / §21 says a proxy or UA does with this response. */
  generic: sentence,
  platforms: z.array(FailoverNote).default([]),
});

const SipCode = z.number().int().min(100).max(699);

export const CodeEntry = z
  .strictObject({
    code: SipCode,
    /** The reason phrase exactly as registered at IANA. */
    reason: text,
    /** The defining document, e.g. "RFC 3261". */
    rfc: z.string().regex(/^RFC \d{3,5}$/),
    /** The section of that document that defines the code, e.g. "21.5.4". */
    section: z.string().regex(/^\d+(\.\d+)*$/),
    /** One line, under 160 characters: what the code says happened. */
    summary: bounded(10, 160),
    /** A short paragraph in our words. */
    meaning: bounded(20, 900),
    owners: z.array(Owner).min(1),
    retry: Retry.optional(),
    failover: Failover.optional(),
    /** Ranked, most likely first. */
    causes: z.array(CitedItem).default([]),
    checks: z.array(CitedItem).default([]),
    fixes: z.array(CitedItem).default([]),
    related: z.array(SipCode).default([]),
    /** Words people type when they do not know the code: "busy", "codec", "timeout". */
    keywords: z.array(bounded(2, 40)).default([]),
    /** Reason phrases other stacks send for this code; shown so people recognise them, never used as keys. */
    variants: z
      .array(z.strictObject({ phrase: text, seenIn: bounded(2, 80), source: SourceRefs.optional() }))
      .default([]),
    platforms: z.array(PlatformNote).default([]),
    /** Ids of worked scenarios (knowledge/scenarios/*.yaml) shown on this code's card. */
    scenarios: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
    sources: z.array(source).min(1),
    /** Vendor sources behind vendor statements in summary, meaning, retry and failover text. */
    vendorSources: SourceRefs.optional(),
    /** The day a person last checked this card's vendor statements against their sources (YYYY-MM-DD). */
    reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .superRefine((entry, ctx) => {
    // Failure codes are what people come for: they must say who acts, whether to retry and how to fix.
    if (entry.code >= 400) {
      for (const key of ['retry', 'failover'] as const) {
        if (entry[key] === undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `required for a ${Math.floor(entry.code / 100)}xx code` });
        }
      }
      for (const key of ['causes', 'checks', 'fixes'] as const) {
        if (entry[key].length < 2) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'at least 2 entries for a failure code' });
        }
      }
    }
  })
  // Renderers see plain sentences; the sources of cited items move to `citations`, keyed by list and index.
  .transform(({ causes, checks, fixes, ...rest }) => ({
    ...rest,
    causes: causes.map(citedText),
    checks: checks.map(citedText),
    fixes: fixes.map(citedText),
    citations: Object.fromEntries(
      (['causes', 'checks', 'fixes'] as const).flatMap((key) =>
        ({ causes, checks, fixes })[key].flatMap((item, i) => (citedSources(item).length > 0 ? [[`${key}.${i}`, citedSources(item)]] : [])),
      ),
    ) as Readonly<Record<string, readonly string[]>>,
  }));
export type CodeEntry = z.output<typeof CodeEntry>;

/** Codes that appear on the wire but are not in the IANA registry (Kamailio 477-479, pjsip 701-703, …). */
export const UnregisteredCode = z.strictObject({
  code: SipCode.or(z.number().int().min(700).max(999)),
  reason: text,
  origin: bounded(3, 200),
  meaning: bounded(20, 900),
  /** The registered code a receiver treats it as (RFC 3261 §8.1.3.2: unknown x00 of the same class). */
  treatAs: SipCode,
  /** What makes a peer send this code, ranked; without them the card falls back to the treatAs code's causes. */
  causes: z.array(sentence).default([]),
  sources: z.array(source).min(1),
  /** Vendor sources behind what origin, meaning and causes say about the software that sends it. */
  vendorSources: SourceRefs.optional(),
});
export type UnregisteredCode = z.infer<typeof UnregisteredCode>;

export const Q850Cause = z.strictObject({
  cause: z.number().int().min(0).max(127),
  name: text,
  /** ITU-T Q.850 cause class, e.g. "normal event", "resource unavailable". */
  class: text,
  meaning: bounded(10, 600),
  /** RFC 3398 §7.2.4.1: the SIP response a gateway sends for this ISUP cause, if the table lists one. */
  toSip: SipCode.optional(),
  /** RFC 3398 §8.2.6.1: SIP responses a gateway maps to this cause. */
  fromSip: z.array(SipCode).default([]),
  /** FreeSWITCH hangup cause name, e.g. USER_BUSY. */
  freeswitch: z.string().regex(/^[A-Z0-9_]+$/).optional(),
  /** Where Asterisk or FreeSWITCH send a different SIP code than RFC 3398 says. */
  platforms: z.array(PlatformNote).default([]),
  sources: z.array(source).min(1),
  /** Vendor sources behind vendor statements in the meaning. */
  vendorSources: SourceRefs.optional(),
});
export type Q850Cause = z.infer<typeof Q850Cause>;

export const WarningCode = z.strictObject({
  code: z.number().int().min(300).max(399),
  text,
  meaning: bounded(10, 600),
  action: sentence,
  rfc: z.string().regex(/^RFC \d{3,5}$/),
  sources: z.array(source).min(1),
});
export type WarningCode = z.infer<typeof WarningCode>;

/** Microsoft Teams Direct Routing six-digit response codes, by prefix or exact value. */
export const TeamsCode = z.strictObject({
  /** Either an exact six-digit code ("560403") or a prefix ending in x ("560xxx"). */
  pattern: z.string().regex(/^\d{6}$|^\d{1,5}x+$/).refine((p) => p.length === 6, 'six characters'),
  generatedBy: z.enum(['sbc', 'microsoft', 'user', 'unknown']),
  meaning: bounded(10, 600),
  action: sentence.optional(),
  sources: z.array(source).min(1),
});
export type TeamsCode = z.infer<typeof TeamsCode>;

export const Scenario = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: bounded(5, 120),
  codes: z.array(SipCode).min(1),
  method: z.string().regex(/^[A-Z]+$/),
  symptom: sentence,
  steps: z.array(z.strictObject({ check: sentence, finding: sentence })).min(3),
  resolution: sentence,
  sources: z.array(source).min(1),
  /** Vendor sources behind what the steps and resolution say about products. */
  vendorSources: SourceRefs.optional(),
});
export type Scenario = z.infer<typeof Scenario>;

export const Platform = z.strictObject({
  id: PlatformId,
  name: text,
  /** Substrings of Server/User-Agent values that identify it, lower case. */
  userAgents: z.array(bounded(2, 80)).default([]),
  docs: z.string().url().optional(),
});
export type Platform = z.infer<typeof Platform>;

export const ClassEntry = z.strictObject({
  class: z.number().int().min(1).max(6),
  name: text,
  summary: bounded(10, 400),
  /** RFC 3261 §8.1.3.2 / §21: what a client does with an unknown code of this class. */
  unknownCode: sentence,
  section: z.string().regex(/^\d+(\.\d+)*$/),
});
export type ClassEntry = z.infer<typeof ClassEntry>;

/** Where a vendor statement comes from: a file in a public repository (with the function, where it matters) or a page. */
export const VendorSource = z.union([
  z.strictObject({
    id: SourceId,
    repo: z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, 'must be owner/name'),
    // A relative file path: no leading or trailing slash, no "..", no spaces or prose.
    path: z.string().regex(/^(?!\/)(?!.*\.\.)(?!.*\/$)[A-Za-z0-9._\/-]+$/, 'must be a file path inside the repository'),
    symbol: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a function or symbol name').optional(),
    line: z.number().int().positive().optional(),
    commit: z.string().regex(/^[0-9a-f]{40}$/).optional(),
    versions: bounded(1, 200),
  }),
  z.strictObject({
    id: SourceId,
    url: z.string().regex(/^https:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/, 'must be an https URL'),
    title: bounded(5, 200),
    versions: bounded(1, 200).optional(),
  }),
]);
export type VendorSource = z.infer<typeof VendorSource>;

const CodeMap = z.record(z.string().regex(/^\d{1,3}$/), z.union([z.number().int(), z.string().min(1)]));

/**
 * A structured row of the behaviour table: what the platform sends for a cause, what a received code becomes,
 * which answers make it try the next route, its default reason phrases. The check compares card text with it.
 */
export const Behaviour = z.discriminatedUnion('kind', [
  z.strictObject({ id: SourceId, kind: z.literal('receives'), source: SourceRefs, map: CodeMap, otherwise: z.record(z.string(), z.number().int()).optional() }),
  z.strictObject({ id: SourceId, kind: z.literal('sends'), source: SourceRefs, map: CodeMap, otherwise: z.record(z.string(), z.number().int()).optional() }),
  z.strictObject({ id: SourceId, kind: z.literal('phrases'), source: SourceRefs, map: CodeMap }),
  z.strictObject({
    id: SourceId,
    kind: z.literal('failover'),
    source: SourceRefs,
    codes: z.array(SipCode).min(1),
    nextRoute: FailoverVerdict,
    otherwise: FailoverVerdict.optional(),
    note: sentence.optional(),
  }),
]);
export type Behaviour = z.output<typeof Behaviour>;

/** knowledge/platforms/<id>.yaml: a platform's sources and behaviour table. */
export const PlatformTable = z.strictObject({
  platform: PlatformId,
  /** Words that mark a sentence as a statement about this platform (case-sensitive, whole words). */
  mentions: z.array(bounded(2, 60)).min(1),
  sources: z.array(VendorSource).min(1),
  behaviours: z.array(Behaviour).default([]),
});
export type PlatformTable = z.output<typeof PlatformTable>;
