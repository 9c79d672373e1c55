import type { Card } from './card.js';

export const USAGE_EXAMPLES = [
  '/sip 503: the card for a response code, on one screen',
  '/sip 503 fixes: one part of it, whole (causes, checks, fixes, retry, platforms, examples, meaning, sources)',
  '/sip 4xx: every code in a class',
  '/sip busy: search by words (busy, timeout, codec, auth)',
  '/sip q850 17: a Q.850 cause and its SIP mapping',
  '/sip warning 305: a Warning header code',
  '/sip 560403: a Teams Direct Routing response code',
  'Paste a SIP trace (raw, Slack, sngrep, ngrep, tshark, Asterisk, FreeSWITCH, Kamailio, Cisco): calls, failures and findings',
] as const;

/** The commands that belong to a channel (they read or change what siptriage keeps for it). */
export const CHANNEL_USAGE = [
  '/sip stats 7d class: SIP errors seen, by code, class or peer, against the period before (24h, 7d, 30d)',
  '/sip digest subscribe: the daily digest in this channel (unsubscribe, status; now shows it here)',
  '/sip alerts subscribe: spike alerts in this channel (unsubscribe, threshold 20 ratio 4, quiet 22-07)',
  '/sip auto off: stop automatic triage of pasted traces in this channel (on, status)',
] as const;

/** The answer to empty, "help" or unusable input; `problem` says what was wrong with it. */
export function usageCard(problem?: string): Card {
  return {
    kind: 'usage',
    title: problem === undefined ? 'siptriage: SIP answers in chat' : 'siptriage: not understood',
    summary: problem ?? 'Explains SIP response codes and triages pasted SIP traces.',
    tone: problem === undefined ? 'info' : 'neutral',
    fields: [],
    sections: [
      { title: 'Try', items: [...USAGE_EXAMPLES] },
      { title: 'In a channel', items: [...CHANNEL_USAGE] },
    ],
    links: [],
    ...(problem === undefined ? {} : { isError: true }),
  };
}
