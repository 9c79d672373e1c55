import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { Redactor } from '../../core/redact.js';
import type { ShareFile } from '../../core/share/share-bundle.js';
import { redactionSentence } from '../../core/share/share-summary.js';
import { formatBytes } from '../../core/trace/read-trace.js';
import { NO_LONGER_HELD } from '../held-traces.js';
import { ladderPng } from '../ladder-image.js';
import type { DiscordDeps } from './deps.js';
import { clipWords } from './fit-text.js';
import type { ShareKeep } from '../../ports/triage-runner.js';
import { CARRIER_KEEP_PREFIX, CARRIER_PREFIX } from './ladder-attachment.js';
import { DISCORD_LIMITS as L } from './limits.js';

const NO_MENTIONS = { parse: [] } as const;
// Discord's default upload limit per message; a boosted server's interaction says more (attachment_size_limit).
const DEFAULT_UPLOAD_LIMIT = 25 * 1024 * 1024;
const MAX_FILES = 10;
// Posted in this order; ladder.txt and ladder.svg say the same as the PNG and the Mermaid text.
const POSTED = ['summary.md', 'trace.txt', 'call.pcap', 'ladder.png', 'ladder.mmd'];

/**
 * "Share with carrier": deferred at once (the trace is triaged again and the ladder drawn, which can take
 * longer than Discord's 3 s), then answered with the bundle's files, as visible as the answer the button
 * was on. A trace no longer held gets a short private answer.
 */
export async function handleShareCarrier(deps: DiscordDeps, interaction: ButtonInteraction, keep?: ShareKeep): Promise<void> {
  const id = interaction.customId.slice((keep === undefined ? CARRIER_PREFIX : CARRIER_KEEP_PREFIX).length);
  const held = deps.held.get(id, interaction.channelId);
  if (held === undefined) {
    await interaction.reply({ content: NO_LONGER_HELD, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  if (!deps.held.begin(id)) {
    await interaction.reply({ content: 'The share bundle for this trace is being prepared already.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  try {
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    // Triaged again and drawn on the triage pool, as Slack's button does: this thread keeps acknowledging.
    const bundle = await deps.triage.share(held.input, held.source, keep);
    const svg = bundle.files.find((f) => f.name === 'ladder.svg')?.content;
    const png = typeof svg === 'string' ? await ladderPng(svg, deps.log, (s, scale) => deps.triage.rasterize(s, scale)) : undefined;
    const all: ShareFile[] = [...bundle.files, ...(png === undefined ? [] : [{ name: 'ladder.png', mediaType: 'image/png', content: png }])];
    const chosen = POSTED.map((name) => all.find((f) => f.name === name)).filter((f): f is ShareFile => f !== undefined);
    const { files, left } = withinUploadLimit(chosen, interaction.attachmentSizeLimit > 0 ? interaction.attachmentSizeLimit : DEFAULT_UPLOAD_LIMIT);
    const lines = [
      `Share bundle for the carrier, requested by <@${interaction.user.id}>: ${files.map((f) => f.name).join(', ')}.`,
      `Redaction: ${redactionSentence(new Redactor(bundle.redaction))}.`,
      ...left.map((f) => `${f.name} (${formatBytes(size(f))}) is over Discord's upload limit: \`siptriage share FILE\` writes the whole bundle.`),
    ];
    await interaction.editReply({
      content: clipWords(lines.join('\n'), L.content),
      files: files.map((f) => ({ attachment: Buffer.from(f.content), name: f.name })),
      allowedMentions: NO_MENTIONS,
    });
  } finally {
    deps.held.end(id);
  }
}

/** At most 10 files and the upload limit in all; what does not fit (the trace, in practice) is named, not sent. */
export function withinUploadLimit(files: readonly ShareFile[], limit: number): { files: ShareFile[]; left: ShareFile[] } {
  const kept: ShareFile[] = [];
  const left: ShareFile[] = [];
  let total = 0;
  for (const f of files) {
    if (kept.length < MAX_FILES && total + size(f) <= limit) {
      kept.push(f);
      total += size(f);
    } else left.push(f);
  }
  return { files: kept, left };
}

function size(f: ShareFile): number {
  return typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength;
}
