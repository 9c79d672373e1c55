import {
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type InteractionReplyOptions,
  type RepliableInteraction,
} from 'discord.js';
import type { EmbedMessage } from './render-messages.js';

export interface ReplyOptions {
  readonly ephemeral: boolean;
  /** Buttons under the first message (the Share button). */
  readonly components?: readonly APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Files sent with the first message (a digest's chart, shown by an embed as attachment://name). */
  readonly files?: readonly { readonly attachment: Buffer; readonly name: string }[];
}

// Echoed traces and cards carry user text: nothing in them may ping anyone.
const NO_MENTIONS = { parse: [] } as const;

/**
 * Sends an answer to an interaction: the first message as the reply (or as the edit of a deferred reply),
 * the rest as follow-ups with the same visibility.
 */
export async function answerInteraction(interaction: RepliableInteraction, messages: readonly EmbedMessage[], options: ReplyOptions): Promise<void> {
  const [first, ...rest] = messages;
  if (first === undefined) return;
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  const body = {
    ...(first.content === undefined ? {} : { content: first.content }),
    embeds: first.embeds,
    components: [...(options.components ?? [])],
    allowedMentions: NO_MENTIONS,
    ...(options.files === undefined ? {} : { files: [...options.files] }),
  };
  if (interaction.deferred) await interaction.editReply(body);
  else await interaction.reply({ ...body, ...(flags === undefined ? {} : { flags }) } satisfies InteractionReplyOptions);
  for (const m of rest) {
    await interaction.followUp({
      ...(m.content === undefined ? {} : { content: m.content }),
      embeds: m.embeds,
      allowedMentions: NO_MENTIONS,
      ...(flags === undefined ? {} : { flags }),
    });
  }
}

/** A short answer for a fault: what failed, never a stack. Works whether or not the interaction was acknowledged. */
export async function answerFault(interaction: RepliableInteraction, text: string): Promise<void> {
  const content = `⚠️ ${text}`;
  if (interaction.deferred && !interaction.replied) await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
  else if (interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
