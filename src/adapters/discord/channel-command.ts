import { MessageFlags, PermissionFlagsBits, type RepliableInteraction } from 'discord.js';
import { changesSettings, type ChannelAnswer, type ChannelCommand } from '../../commands/channel-commands.js';
import type { ChannelRef } from '../../core/chat-port.js';
import { actionRows, type ActionRow } from './action-rows.js';
import type { DiscordDeps } from './deps.js';
import type { HeldQueries } from './held-queries.js';
import { answerInteraction } from './reply.js';
import { renderMessages } from './render-messages.js';
import { triageAndAnswer } from './triage-command.js';

// Past this, the answer is not ready soon enough to be sure of Discord's 3 s: acknowledge, then edit.
const DEFER_AFTER_MS = 1500;
const NO_MENTIONS = { parse: [] } as const;

export interface ChannelAsk {
  /** The query as typed, for the Share button. */
  readonly query: string;
  readonly public: boolean;
  /** Text before the answer ("Shared by …"). */
  readonly content?: string;
  /** Rows the caller adds (the Share button's), so the follow-up buttons leave room for them. */
  readonly shareRow?: (queries: HeldQueries, query: string) => ActionRow | undefined;
}

/**
 * /sip alerts|stats|digest|auto in Discord, answered by the shared module. A settings change needs the
 * Manage Channels permission (as /sip-auto always did), is confirmed privately, and the channel gets one
 * line saying who changed what. Store reads may be slow: when the answer is not there within 1.5 s the
 * interaction is deferred and the reply edited, as the trace triage path does.
 */
export async function answerChannelCommand(deps: DiscordDeps, interaction: RepliableInteraction, command: ChannelCommand, ask: ChannelAsk): Promise<void> {
  const changes = changesSettings(command);
  const refusal = refuse(deps, interaction, command, changes);
  if (refusal !== undefined) {
    deps.metrics?.chatCommand('discord', command.kind);
    await interaction.reply({ content: refusal, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  const ephemeral = changes || !ask.public;
  const result = await withinAck(interaction, deps.commands.answer({ channel: channelRefOf(interaction), by: interaction.user.globalName ?? interaction.user.username }, command), ephemeral);
  const { message } = result;
  if (result.trace !== undefined) {
    // A kept call opened from /sip calls is answered as if its trace had been pasted.
    await triageAndAnswer(deps, interaction, { text: result.trace.text, attachments: [] }, ephemeral);
    return;
  }
  // What cannot be answered is for the asker alone, even when asked for public (unless already deferred in public).
  const privately = ephemeral || (result.isError && !interaction.deferred);
  const row = privately && !result.isError && result.changed === undefined ? ask.shareRow?.(deps.queries, ask.query) : undefined;
  const share = row === undefined ? [] : [row];
  const components = [...actionRows(message.cards, deps.queries, 5 - share.length), ...share];
  const messages = renderMessages(message.cards, ask.content === undefined ? {} : { content: ask.content });
  const first = messages[0];
  const image = message.image;
  if (image !== undefined && first !== undefined) {
    // The chart goes up with the reply and shows in the first embed.
    const [embed] = first.embeds;
    if (embed !== undefined) first.embeds[0] = { ...embed, image: { url: `attachment://${image.filename}` } };
  }
  await answerInteraction(interaction, messages, {
    ephemeral: privately,
    components,
    ...(image === undefined ? {} : { files: [{ attachment: Buffer.from(image.png), name: image.filename }] }),
  });
  if (result.changed !== undefined) await tellChannel(interaction, result);
}

/** Discord's own convention for a setting: everyone sees "<user> did X", not the private details. */
async function tellChannel(interaction: RepliableInteraction, result: ChannelAnswer): Promise<void> {
  await interaction.followUp({ content: `<@${interaction.user.id}> ${result.changed}.`, allowedMentions: NO_MENTIONS });
}

function refuse(deps: DiscordDeps, interaction: RepliableInteraction, command: ChannelCommand, changes: boolean): string | undefined {
  if (command.kind === 'auto') {
    if (!interaction.inGuild()) return 'Automatic triage is set per server channel: ask in the channel itself.';
    if (!deps.autoTriage) {
      return (
        'Automatic triage is switched off for this bot: its operator enables it with DISCORD_AUTO_TRIAGE=true and the Message Content intent. ' +
        '/sip-triage and the "Triage SIP trace" message menu work without it.'
      );
    }
  }
  // The same gate /sip-auto has always had (default_member_permissions): a channel's behaviour is for those who manage it.
  if (changes && interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) !== true) {
    return 'Changing what siptriage does in this channel needs the Manage Channels permission.';
  }
  return undefined;
}

/** Settings are per channel; a thread follows the channel it was opened in (as automatic triage reads them). */
export function channelRefOf(interaction: RepliableInteraction): ChannelRef {
  const channel = interaction.channel;
  const id = channel?.isThread() === true ? (channel.parentId ?? interaction.channelId ?? '') : (interaction.channelId ?? '');
  return { platform: 'discord', workspace: interaction.guildId ?? '', channel: id };
}

async function withinAck<T>(interaction: RepliableInteraction, work: Promise<T>, ephemeral: boolean): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), DEFER_AFTER_MS);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== LATE) return first as T;
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  return work;
}

const LATE = Symbol('late');
