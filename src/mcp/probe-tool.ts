import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ProbePort } from '../ports/surface.js';
import { cardSchema, cardText, toolError } from './card-shape.js';

/**
 * `probe`: one OPTIONS (or REGISTER) transaction to a SIP server, as `/sip probe` runs it. The target must be
 * one the server's PROBE_ALLOW / PROBE_ALLOW_PRIVATE settings allow: an assistant cannot aim it anywhere else.
 */
export function registerProbeTool(server: McpServer, probes: ProbePort | undefined): void {
  server.registerTool(
    'probe',
    {
      title: 'Probe a SIP server',
      description:
        'Sends one SIP OPTIONS (or REGISTER with the credentials in the server config) to a target the server allows, resolving it as RFC 3263 says, and answers with the code, round-trip time per attempt, the server\'s headers, TLS certificate checks, and the card of the code it ended with.',
      inputSchema: {
        target: z.string().min(1).max(300).describe('sip:/sips: URI, host, or host:port'),
        transport: z.enum(['udp', 'tcp', 'tls']).optional(),
        method: z.enum(['OPTIONS', 'REGISTER']).default('OPTIONS'),
      },
      outputSchema: { cards: z.array(cardSchema) },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ target, transport, method }) => {
      if (probes === undefined) return toolError('Probes are not available on this siptriage.');
      if (/\s/.test(target)) return toolError('The target is one word: a sip: URI, a host or host:port.');
      const text = [target, ...(transport === undefined ? [] : ['--transport', transport]), ...(method === 'OPTIONS' ? [] : ['--method', method])].join(' ');
      const answer = await probes.answer(text);
      const body = answer.cards.map(cardText).join('\n\n');
      if (answer.isError) return toolError(body);
      return { content: [{ type: 'text', text: body }], structuredContent: { cards: answer.cards.map((c) => ({ ...c })) } };
    },
  );
}
