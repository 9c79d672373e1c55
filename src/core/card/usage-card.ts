import type { Card } from './card.js';

export const USAGE_EXAMPLES = [
  '/sip 503: the card for a response code',
  '/sip 4xx: every code in a class',
  '/sip busy: search by words (busy, timeout, codec, auth)',
  '/sip q850 17: a Q.850 cause and its SIP mapping',
  '/sip warning 305: a Warning header code',
  '/sip 560403: a Teams Direct Routing response code',
  'Paste a SIP trace (raw, Slack, sngrep, ngrep, tshark, Asterisk, FreeSWITCH, Kamailio, Cisco): calls, failures and findings',
] as const;

/** The answer to empty, "help" or unusable input; `problem` says what was wrong with it. */
export function usageCard(problem?: string): Card {
  return {
    kind: 'usage',
    title: problem === undefined ? 'siptriage: SIP answers in chat' : 'siptriage: not understood',
    summary: problem ?? 'Explains SIP response codes and triages pasted SIP traces.',
    tone: problem === undefined ? 'info' : 'neutral',
    fields: [],
    sections: [{ title: 'Try', items: [...USAGE_EXAMPLES] }],
    links: [],
    ...(problem === undefined ? {} : { isError: true }),
  };
}
