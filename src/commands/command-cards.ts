import type { Card } from '../core/card/card.js';
import { ALERTS_USAGE } from '../core/query/alerts-query.js';
import { AUTO_USAGE } from '../core/query/auto-query.js';
import { PROBE_USAGE } from '../core/probe/probe-request.js';
import { DIGEST_USAGE, STATS_USAGE } from '../core/query/stats-query.js';

/**
 * The cards channel commands answer with when there is nothing to compute: settings as they are, what is
 * missing, what failed. Plain data, so Slack, Discord and the terminal render them alike.
 */

const HOW_TO_STORE =
  'Set DATABASE_URL (postgres://… for PostgreSQL shared by replicas; unset or sqlite:PATH for an SQLite file) and restart siptriage. README: Store.';

/** Stats, digests and channel settings all live in the database; without one they cannot be answered. */
export function needsStoreCard(what: string): Card {
  return {
    kind: 'notice',
    title: `${what} need a database`,
    summary: 'This siptriage runs without a database, so it keeps no counts and no channel settings.',
    tone: 'neutral',
    fields: [],
    sections: [{ title: 'To turn it on', items: [HOW_TO_STORE] }],
    links: [],
    isError: true,
  };
}

/** A store is there, but the service that reads it for stats and digests was not started. */
export function statsOffCard(): Card {
  return {
    kind: 'notice',
    title: 'Stats and digests are not running here',
    summary: 'This siptriage has a database but no stats service, so it cannot count what it has recorded yet.',
    tone: 'neutral',
    fields: [],
    sections: [{ title: 'Commands', items: [...STATS_USAGE, ...DIGEST_USAGE] }],
    links: [],
    isError: true,
  };
}

export function probesOffCard(): Card {
  return {
    kind: 'notice',
    title: 'Probes are not running here',
    summary: 'This siptriage was started without its probe service, so it sends no probes.',
    tone: 'neutral',
    fields: [],
    sections: [{ title: 'Commands', items: [...PROBE_USAGE] }],
    links: [],
    isError: true,
  };
}

export function alertsOffCard(): Card {
  return {
    kind: 'notice',
    title: 'Spike alerts are not running here',
    summary: 'This siptriage was started without its alert service, so there is nothing to subscribe to.',
    tone: 'neutral',
    fields: [],
    sections: [{ title: 'Commands', items: [...ALERTS_USAGE] }],
    links: [],
    isError: true,
  };
}

/** A store (or the stats service) failed: one sentence, the code when there is one, never a stack. */
export function faultCard(writing: boolean, code: string | undefined): Card {
  const what = writing ? 'The setting was not saved' : 'That could not be read';
  return {
    kind: 'notice',
    title: 'siptriage could not answer that',
    summary: `${what}: its database did not answer${code === undefined ? '' : ` (${code})`}. Try again in a moment; the details are in siptriage's log.`,
    tone: 'warning',
    fields: [],
    sections: [],
    links: [],
    isError: true,
  };
}

export function badCommandCard(what: string, problem: string, usage: readonly string[]): Card {
  return { kind: 'usage', title: `siptriage: ${what} command not understood`, summary: problem, tone: 'neutral', fields: [], sections: [{ title: 'Try', items: [...usage] }], links: [], isError: true };
}

export function autoCard(on: boolean, changed: boolean): Card {
  return {
    kind: 'notice',
    title: `Automatic triage is ${on ? 'on' : 'off'} in this channel`,
    summary: on
      ? 'SIP traces pasted or shared here get a triage reply in their thread.'
      : 'Pasted traces are left alone; the "Triage SIP trace" menu on a message still triages on request.',
    tone: on ? 'success' : 'neutral',
    fields: [],
    sections: changed ? [] : [{ title: 'Change it', items: [on ? '/sip auto off' : '/sip auto on'] }],
    links: [],
  };
}

/** Without a database automatic triage stays at its default, and saying so beats a silent no-op. */
export function autoWithoutStoreCard(asked: 'status' | 'on' | 'off'): Card {
  const card = needsStoreCard('Channel settings');
  return asked === 'status'
    ? { ...card, title: 'Automatic triage is on in this channel', summary: 'It is on everywhere (the default): turning it off per channel needs a database.', isError: false }
    : card;
}

export function consoleAutoCard(): Card {
  return {
    kind: 'notice',
    title: 'Automatic triage is a channel setting',
    summary: 'The console triages every trace pasted into it; /sip auto turns automatic triage on or off in a Slack or Discord channel.',
    tone: 'info',
    fields: [],
    sections: [{ title: 'Commands', items: [...AUTO_USAGE] }],
    links: [],
  };
}

export function digestCard(subscribed: boolean, changed: boolean): Card {
  return {
    kind: 'notice',
    title: subscribed ? 'The daily digest is posted in this channel' : 'The daily digest is not posted in this channel',
    summary: subscribed
      ? 'Each morning: yesterday\'s SIP errors by class and code, against the day before and the weekly average, with a chart.'
      : changed
        ? 'No more daily digests here.'
        : 'Subscribe to get yesterday\'s SIP errors here each morning, with a chart.',
    tone: subscribed ? 'success' : 'neutral',
    fields: [],
    sections: [{ title: 'Commands', items: [...DIGEST_USAGE] }],
    links: [],
  };
}

export function consoleDigestCard(): Card {
  return {
    kind: 'notice',
    title: 'The daily digest posts to chat channels',
    summary: 'Subscribe a Slack or Discord channel with /sip digest subscribe; here, /sip digest now shows the digest of the last 24 hours.',
    tone: 'info',
    fields: [],
    sections: [{ title: 'Commands', items: [...DIGEST_USAGE] }],
    links: [],
  };
}
