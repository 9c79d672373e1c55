import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Engine } from '../core/engine.js';
import { buildLadder } from '../core/ladder/build-ladder.js';
import { renderLadderMermaid } from '../core/ladder/render-ladder-mermaid.js';
import { renderLadderSvg } from '../core/ladder/render-ladder-svg.js';
import { renderLadderText } from '../core/ladder/render-ladder-text.js';
import { triageJson } from '../core/triage/report-json.js';
import { cardText, toolError } from './card-shape.js';
import { traceInputShape, triageInput } from './trace-input.js';

const reportSchema = z.looseObject({
  format: z.string(),
  messages: z.number(),
  calls: z.array(z.looseObject({ callId: z.string(), outcome: z.string() })),
  responses: z.array(z.looseObject({ code: z.number() })),
  problems: z.array(z.looseObject({ code: z.string(), message: z.string() })),
});

/** `triage` and `ladder`: the same report and diagram `siptriage triage --json` and `siptriage ladder` give. */
export function registerTraceTools(server: McpServer, engine: Engine): void {
  server.registerTool(
    'triage',
    {
      title: 'Triage a SIP trace or capture',
      description:
        'Reads a SIP trace (text) or a pcap/pcapng capture (base64) and returns its calls, their final responses and findings (the same JSON as `siptriage triage --json`), with a summary as text. Credentials are redacted in everything echoed.',
      inputSchema: traceInputShape,
      outputSchema: { report: reportSchema, summary: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) => {
      const triaged = triageInput(engine, input);
      if (!triaged.ok) return toolError(triaged.problem.message);
      const summary = [triaged.value.summary, ...triaged.value.calls].map(cardText).join('\n\n');
      return { content: [{ type: 'text', text: summary }], structuredContent: { report: triageJson(triaged.value.report), summary } };
    },
  );

  server.registerTool(
    'ladder',
    {
      title: 'Draw the call flow of a trace',
      description: 'The call-flow (ladder) diagram of a trace or capture, failing calls first: Mermaid sequence diagram, SVG, or text.',
      inputSchema: {
        ...traceInputShape,
        format: z.enum(['mermaid', 'svg', 'text']).default('mermaid'),
        callId: z.string().max(500).optional().describe('Only this call'),
        maxArrows: z.number().int().min(1).max(1000).optional(),
      },
      outputSchema: { format: z.string(), diagram: z.string(), calls: z.array(z.string()), note: z.string().optional() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) => {
      const triaged = triageInput(engine, input);
      if (!triaged.ok) return toolError(triaged.problem.message);
      const ladder = buildLadder(triaged.value.report, {
        ...(input.callId === undefined ? {} : { callId: input.callId }),
        ...(input.maxArrows === undefined ? {} : { maxArrows: input.maxArrows }),
      });
      if (ladder.calls.length === 0) return toolError(ladder.note ?? (input.callId === undefined ? 'No calls to draw.' : `No call ${input.callId} in the trace.`));
      const diagram =
        input.format === 'svg' ? renderLadderSvg(ladder) : input.format === 'text' ? renderLadderText(ladder, { color: false }) : renderLadderMermaid(ladder);
      const structured = { format: input.format, diagram, calls: ladder.calls.map((c) => c.callId), ...(ladder.note === undefined ? {} : { note: ladder.note }) };
      return { content: [{ type: 'text', text: diagram }], structuredContent: structured };
    },
  );
}
