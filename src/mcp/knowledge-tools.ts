import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Engine } from '../core/engine.js';
import { cardSchema, cardText, toolError } from './card-shape.js';

/** Resource URIs of the code cards, so an assistant can cite "siptriage://codes/503". */
export const CODE_URI = 'siptriage://codes/{code}';

/** `explain` (a card for a code, class, Q.850 cause, warning or words) and the code cards as resources. */
export function registerKnowledge(server: McpServer, engine: Engine): void {
  server.registerTool(
    'explain',
    {
      title: 'Explain a SIP response code',
      description:
        'The siptriage card for a SIP response code (503), a class (4xx), a Q.850 cause (q850 17), a Warning code (warning 305) or words (busy, "not acceptable"): meaning, likely causes, what to check, how to fix, vendor behaviour, with RFC and vendor sources.',
      inputSchema: { query: z.string().min(1).max(200).describe('What to explain: 503, 4xx, q850 17, warning 305, busy') },
      outputSchema: { card: cardSchema },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query }) => {
      const card = engine.explain(query);
      if (card.isError === true) return toolError(cardText(card));
      return { content: [{ type: 'text', text: cardText(card) }], structuredContent: { card } };
    },
  );

  const codes = engine.kb.data.codes;
  server.registerResource(
    'code-card',
    new ResourceTemplate(CODE_URI, {
      list: () => ({
        resources: codes.map((c) => ({ uri: `siptriage://codes/${c.code}`, name: `${c.code} ${c.reason}`, mimeType: 'text/plain' })),
      }),
    }),
    { title: 'SIP response code cards', description: 'One card per SIP response code siptriage knows', mimeType: 'text/plain' },
    (uri, variables) => {
      const code = String(variables['code'] ?? '');
      if (!/^[1-6]\d\d$/.test(code)) throw new Error(`${code.slice(0, 10)} is not a SIP response code (100–699)`);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: cardText(engine.explain(code)) }] };
    },
  );
}
