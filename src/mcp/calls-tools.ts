import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { callRowText, findKeptCalls, listedCall, openKeptCall, shownCall } from '../calls/shown-calls.js';
import { keptTraceText } from '../core/calls/kept-trace.js';
import type { Engine } from '../core/engine.js';
import { parseCallsQuery } from '../core/query/calls-query.js';
import { Redactor, type RedactOptions } from '../core/redact.js';
import { triageJson } from '../core/triage/report-json.js';
import type { CallStore } from '../ports/call-store.js';
import { cardText, toolError } from './card-shape.js';

/** Where the calls tools read: the store's kept calls and the redaction settings; undefined when calls are not kept. */
export interface KeptCallsReader {
  readonly calls: CallStore;
  readonly redact: RedactOptions;
  readonly keepDays: number;
}

const NOT_KEPT = 'This siptriage keeps no calls (no store, or CALLS_KEEP=off), so there are none to search.';

/** `calls` (search, as `/sip calls` and `siptriage calls`) and `call` (one call opened: triage, legs, messages). */
export function registerCallsTools(server: McpServer, engine: Engine, reader: () => Promise<KeptCallsReader | undefined>, now: () => number = Date.now): void {
  server.registerTool(
    'calls',
    {
      title: 'Search kept calls',
      description:
        'Failing calls (and a sample of answered ones) that siptriage kept from live traffic, newest first. The query is words as in `siptriage calls`: a code (486), a class (5xx), a peer address, a number, a Call-ID, and a period (1h, 24h, 7d; 24h by default). Numbers and addresses are masked as the server is configured.',
      inputSchema: { query: z.string().max(300).default('').describe('e.g. "503 1h", "5xx 203.0.113.7", "+4930123456"'), limit: z.number().int().min(1).max(100).default(20) },
      outputSchema: { calls: z.array(z.looseObject({ callId: z.string(), time: z.number(), code: z.number(), method: z.string() })) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit }) => {
      const parsed = parseCallsQuery(query);
      if (!parsed.ok) return toolError(`${parsed.problem}.`);
      const r = await reader();
      if (r === undefined) return toolError(NOT_KEPT);
      const redactor = new Redactor(r.redact);
      const rows = (await findKeptCalls(r.calls, parsed.query, limit, now())).map((row) => listedCall(row, r.redact, redactor));
      const text =
        rows.length === 0
          ? 'No kept calls match.'
          : rows.map(callRowText).join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { calls: rows } };
    },
  );

  server.registerTool(
    'call',
    {
      title: 'Open one kept call',
      description:
        'One kept call by Call-ID, with the other legs joined to it through a B2BUA: the triage report (the same JSON as `siptriage triage --json`) and every SIP message with capture time and addresses, credentials redacted.',
      inputSchema: { callId: z.string().min(1).max(500) },
      outputSchema: { report: z.looseObject({ calls: z.array(z.looseObject({ callId: z.string() })) }), legs: z.array(z.looseObject({ callId: z.string() })) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ callId }) => {
      const r = await reader();
      if (r === undefined) return toolError(NOT_KEPT);
      const all = await openKeptCall(r.calls, callId);
      if (all.length === 0) return toolError(`No kept call has that Call-ID (calls are kept ${r.keepDays} days).`);
      const answer = engine.triage(keptTraceText(all.flatMap((c) => c.trace)));
      const redactor = new Redactor(r.redact);
      const text = [answer.summary, ...answer.calls].map(cardText).join('\n\n');
      return { content: [{ type: 'text', text }], structuredContent: { report: triageJson(answer.report), legs: all.map((c) => shownCall(c, redactor)) } };
    },
  );
}
