import type { RedactOptions } from '../core/redact.js';
import type { CallsPort } from '../ports/surface.js';
import type { CallLinker } from './call-links.js';
import { listedCall } from './shown-calls.js';

/** One kept call as an alert or the digest lists it: a short row and the signed link to its ladder. */
export interface ExampleCall {
  readonly text: string;
  readonly url: string;
}

/** Which calls: a code and/or a peer, within a time range (the incident's, the digest's day). */
export interface ExampleScope {
  readonly code?: number;
  readonly peer?: string;
  readonly from: number;
  readonly to: number;
}

// An incident is counted from its first failure; calls kept a little before belong to the same trouble.
const LEAD_MS = 10 * 60_000;

/**
 * The latest kept failing calls in a scope, newest first, each with its ladder link. Rows show what the
 * REDACT_* settings let chat show: time, code, method and the peer (masked when addresses are).
 */
export function exampleCalls(o: { readonly calls: CallsPort; readonly link: CallLinker; readonly redact: RedactOptions }) {
  return async (scope: ExampleScope, limit = 3): Promise<ExampleCall[]> => {
    const rows = await o.calls.find({
      from: scope.from - LEAD_MS,
      to: scope.to + 1,
      kind: 'failure',
      limit,
      ...(scope.code === undefined ? {} : { code: scope.code }),
      ...(scope.peer === undefined || scope.peer === 'unknown' ? {} : { peer: scope.peer }),
    });
    return rows.map((row) => {
      const c = listedCall(row, o.redact);
      return { text: `${new Date(c.time).toISOString().slice(11, 19)} UTC  ${c.code} ${c.method}${c.peer === null ? '' : ` from ${c.peer}`}`, url: o.link(c.callId) };
    });
  };
}
