import type { Card } from '../../src/core/card/card.js';
import { encodeCallId } from '../../src/calls/call-links.js';

/** The longest link a kept call gets: a 128-character Call-ID of characters URL encoding triples. */
export const WORST_LINK = `https://siptriage.example.com/calls/${encodeCallId('"<>{}[]\\`/?:!*()\'+%'.repeat(10).slice(0, 127) + '@')}?exp=1796000000&sig=${'x'.repeat(43)}`;

/** A spike alert's card with three example calls, each linked to the worst-case URL. */
export const LINKED_CARD: Card = {
  kind: 'notice',
  title: 'Spike: 503 Service Unavailable from 203.0.113.7',
  summary: '46 calls failed in the last 5 min.',
  tone: 'danger',
  fields: [],
  sections: [{ title: 'Example calls', items: ['03:00:01 UTC  503 INVITE from 203.0.113.7', '03:00:02 UTC  503 INVITE from 203.0.113.7', '03:00:03 UTC  503 INVITE from 203.0.113.7'], itemLinks: [0, 1, 2].map(() => ({ label: 'ladder', url: WORST_LINK })) }],
  links: [],
};
