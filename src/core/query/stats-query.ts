/** What `/sip stats …` and `/sip digest …` ask for. Both read the store; a surface with a service answers them. */
export type StatsRange = '24h' | '7d' | '30d';
export type StatsBreakdown = 'code' | 'class' | 'peer';

export interface StatsQuery {
  readonly range: StatsRange;
  /** What the table is broken down by (default: code). */
  readonly by: StatsBreakdown;
}

export type DigestCommand =
  | { readonly action: 'status' }
  | { readonly action: 'subscribe' }
  | { readonly action: 'unsubscribe' }
  /** Build today's digest now and show it here (not claimed: the scheduled one still posts). */
  | { readonly action: 'preview' }
  | { readonly action: 'invalid'; readonly problem: string };

export const STATS_USAGE = [
  '/sip stats: SIP errors over the last 24 hours by code, against the 24 hours before',
  '/sip stats 7d class (or 24h, 30d; code, class, peer): another range or breakdown',
] as const;

export const DIGEST_USAGE = [
  '/sip digest: whether the daily digest posts here',
  '/sip digest subscribe (or unsubscribe): post the daily digest in this channel',
  '/sip digest now: show the digest of the last 24 hours here',
] as const;

const RANGES: Readonly<Record<string, StatsRange>> = { '24h': '24h', '1d': '24h', day: '24h', '7d': '7d', week: '7d', '1w': '7d', '30d': '30d', month: '30d' };
const BREAKDOWNS: Readonly<Record<string, StatsBreakdown>> = { code: 'code', codes: 'code', class: 'class', classes: 'class', peer: 'peer', peers: 'peer', host: 'peer', hosts: 'peer' };

/** Parses the words after "stats". Never fails: unknown words are an error the caller shows with the usage. */
export function parseStatsQuery(rest: string): { readonly ok: true; readonly query: StatsQuery } | { readonly ok: false; readonly problem: string } {
  let range: StatsRange = '24h';
  let by: StatsBreakdown = 'code';
  for (const word of rest.toLowerCase().split(/[\s,]+/).filter((w) => w !== '' && w !== 'by')) {
    const r = RANGES[word];
    const b = BREAKDOWNS[word];
    if (r !== undefined) range = r;
    else if (b !== undefined) by = b;
    else return { ok: false, problem: `"${word.slice(0, 30)}" is not a stats range (24h, 7d, 30d) or breakdown (code, class, peer).` };
  }
  return { ok: true, query: { range, by } };
}

/** Parses the words after "digest". */
export function parseDigestCommand(rest: string): DigestCommand {
  const verb = rest.toLowerCase().trim().split(/\s+/)[0] ?? '';
  switch (verb) {
    case '':
    case 'status':
      return { action: 'status' };
    case 'subscribe':
    case 'on':
      return { action: 'subscribe' };
    case 'unsubscribe':
    case 'off':
      return { action: 'unsubscribe' };
    case 'now':
    case 'preview':
    case 'show':
      return { action: 'preview' };
    default:
      return { action: 'invalid', problem: `"${verb.slice(0, 30)}" is not a digest command.` };
  }
}

/** Milliseconds a range covers. */
export function rangeMs(range: StatsRange): number {
  return { '24h': 1, '7d': 7, '30d': 30 }[range] * 86_400_000;
}
