import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Card } from '../core/card/card.js';
import type { StatsQuery } from '../core/query/stats-query.js';
import type { StatsModel } from '../core/stats/stats-model.js';
import { cardText, toolError } from './card-shape.js';

/** What the stats tool reads: the same service `/sip stats` and `siptriage stats` answer from. */
export interface StatsReader {
  stats(query: StatsQuery, now?: number): Promise<StatsModel>;
  statsCard(query: StatsQuery, now?: number): Promise<Card>;
}

/** `stats`: SIP errors from the store over a range, against the period before. */
export function registerStatsTool(server: McpServer, reader: () => Promise<StatsReader | undefined>): void {
  server.registerTool(
    'stats',
    {
      title: 'SIP error statistics',
      description:
        'SIP failures counted by siptriage (live HEP and /ingest, recorded traces) over the last 24h, 7d or 30d, broken down by code, class or peer, against the period before; with answer-seizure ratio (ASR) and top peers.',
      inputSchema: { range: z.enum(['24h', '7d', '30d']).default('24h'), by: z.enum(['code', 'class', 'peer']).default('code') },
      // Loose: the stats model (periods, ASR, class totals, top peers) is passed whole.
      outputSchema: z.looseObject({
        range: z.string(),
        by: z.string(),
        failures: z.number(),
        previousFailures: z.number(),
        rows: z.array(z.looseObject({ key: z.string(), count: z.number(), previous: z.number() })),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ range, by }) => {
      const stats = await reader();
      if (stats === undefined) return toolError('This siptriage has no store, so it has no statistics.');
      const query: StatsQuery = { range, by };
      const model = await stats.stats(query);
      const card = await stats.statsCard(query);
      return { content: [{ type: 'text', text: cardText(card) }], structuredContent: { ...model } };
    },
  );
}
