import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { ChatLadder } from '../../core/ladder/chat-ladder.js';
import { ladderPng } from '../ladder-image.js';
import type { DiscordDeps } from './deps.js';
import type { TraceOutcome } from './trace-sources.js';

/** Custom id of Share with carrier: the prefix and the held trace's 12-character id, far under 100. */
export const CARRIER_PREFIX = 'sip-carrier:';
/** Custom id of the explicit choice to share with numbers and addresses kept. */
export const CARRIER_KEEP_PREFIX = 'sip-carrier-keep:';

// Attachment descriptions (alt text) are limited to 1024 characters.
const MAX_DESCRIPTION = 1024;

/** The ladder of the first answer with a failing call, and the id its trace is held under for sharing. */
export interface FailingLadder {
  readonly ladder: ChatLadder;
  readonly shareId: string | undefined;
}

/**
 * Finds the first triaged source (text or file) with a failing call and holds its input for Share with
 * carrier, scoped to the channel the answer goes to (a thread is a channel of its own). No failure: no ladder,
 * no button.
 */
export function failingLadder(deps: DiscordDeps, outcome: TraceOutcome, scope: string): FailingLadder | undefined {
  for (const [i, answer] of outcome.answers.entries()) {
    // Drawn as SVG by the triage worker beside the cards, with the same redaction.
    const ladder = answer.ladder;
    const input = outcome.inputs[i];
    if (ladder === undefined || input === undefined) continue;
    const shareId = deps.held.hold({ input, source: input.kind === 'bytes' ? input.filename : undefined, scope });
    return { ladder, shareId };
  }
  return undefined;
}

/**
 * The ladder as an attachment, or none when resvg could not draw it (logged once; the text stands). Drawn on a
 * triage worker: resvg holds a CPU for tens to hundreds of ms, and this thread acknowledges interactions.
 */
export async function ladderFiles(deps: DiscordDeps, ladder: ChatLadder): Promise<{ attachment: Buffer; name: string; description: string }[]> {
  const png = await ladderPng(ladder.svg, deps.log, (svg, scale) => deps.triage.rasterize(svg, scale));
  return png === undefined ? [] : [{ attachment: Buffer.from(png), name: 'ladder.png', description: ladder.alt.slice(0, MAX_DESCRIPTION) }];
}

export function carrierRow(shareId: string, redact: { readonly numbers: boolean; readonly addresses: boolean } = { numbers: false, addresses: false }): APIActionRowComponent<APIComponentInMessageActionRow> {
  // Masked by default, as the CLI does; keeping numbers and addresses is its own, plainly labelled button,
  // offered only where REDACT_* do not mask them in every answer anyway.
  const keep = redact.numbers && redact.addresses ? [] : [
    {
      type: ComponentType.Button as const,
      style: ButtonStyle.Danger as const,
      label: 'Share unmasked (keeps numbers and addresses)',
      custom_id: `${CARRIER_KEEP_PREFIX}${shareId}`,
    },
  ];
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'Share with carrier (masked)',
        emoji: { name: '📦' },
        custom_id: `${CARRIER_PREFIX}${shareId}`,
      },
      ...keep,
    ],
  };
}
