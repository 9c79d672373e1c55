import {
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type Attachment,
  type ChatInputCommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { CUSTOM_ID } from './commands.js';
import type { DiscordDeps } from './deps.js';
import { carrierRow, failingLadder, ladderFiles } from './ladder-attachment.js';
import { DISCORD_LIMITS as L } from './limits.js';
import type { DiscordPlace } from './record.js';
import { answerInteraction } from './reply.js';
import { renderMessages } from './render-messages.js';
import { mayBeSlow, outcomeCards, triageInput, type TraceInput } from './trace-sources.js';

/** /sip-triage [file] [public]: triage the attached file, or open a form to paste a trace into. */
export async function handleTriageCommand(deps: DiscordDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const isPublic = interaction.options.getBoolean('public') ?? false;
  const file = interaction.options.getAttachment('file');
  if (file !== null) {
    await triageAndAnswer(deps, interaction, { text: '', attachments: [attachmentInfo(file)] }, !isPublic);
    return;
  }
  await interaction.showModal({
    custom_id: `${CUSTOM_ID.triageModal}${isPublic ? 'public' : 'private'}`,
    title: 'Triage a SIP trace',
    components: [
      {
        type: ComponentType.Label,
        label: 'SIP trace',
        description: 'Raw SIP, sngrep, ngrep, tshark, Asterisk, FreeSWITCH, Kamailio or Cisco output',
        component: {
          type: ComponentType.TextInput,
          custom_id: CUSTOM_ID.traceField,
          style: TextInputStyle.Paragraph,
          required: true,
          max_length: L.modalParagraph,
          placeholder: 'INVITE sip:bob@example.com SIP/2.0 …',
        },
      },
    ],
  });
}

/** The pasted form: at most 4000 characters, so it is answered at once. */
export async function handleTriageModal(deps: DiscordDeps, interaction: ModalSubmitInteraction): Promise<void> {
  const isPublic = interaction.customId.endsWith(':public');
  const text = interaction.fields.getTextInputValue(CUSTOM_ID.traceField);
  await triageAndAnswer(deps, interaction, { text, attachments: [] }, !isPublic);
}

/**
 * Message menu "Triage SIP trace": the message's text and its .txt/.log/.pcap files. The trace is already in
 * the channel, so the answer is posted there too.
 */
export async function handleTriageMessage(deps: DiscordDeps, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  await triageAndAnswer(deps, interaction, messageInput(interaction.targetMessage), false);
}

export function messageInput(message: Message): TraceInput {
  return { text: message.content, attachments: [...message.attachments.values()].map(attachmentInfo) };
}

export function attachmentInfo(a: Attachment): { name: string; url: string; size: number } {
  return { name: a.name, url: a.url, size: a.size };
}

/** A trace answered: cards, the failing ladder and Share with carrier (a paste, a file, or a kept call opened). */
export async function triageAndAnswer(deps: DiscordDeps, interaction: RepliableInteraction, input: TraceInput, ephemeral: boolean): Promise<void> {
  deps.metrics?.chatCommand('discord', 'triage');
  // Downloads and large texts may outlast the 3 s window: acknowledge first, then edit the reply.
  if (mayBeSlow(input) && !interaction.deferred) await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const outcome = await triageInput(deps, input);
  const failing = interaction.channelId === null ? undefined : failingLadder(deps, outcome, interaction.channelId);
  const components = failing?.shareId === undefined ? [] : [carrierRow(failing.shareId, deps.engine.options.redact)];
  await answerInteraction(interaction, renderMessages(outcomeCards(outcome)), { ephemeral, components });
  const place: DiscordPlace = { guild: interaction.guildId, channel: interaction.channelId };
  for (const answer of outcome.answers) deps.recorder.triage(answer.events, place);
  if (failing === undefined) return;
  // The picture is drawn once the answer is out (it takes tens of ms) and added to that first message.
  const files = await ladderFiles(deps, failing.ladder);
  if (files.length === 0) return;
  try {
    await interaction.editReply({ files });
  } catch (err) {
    deps.log.warn({ err }, 'ladder image not attached; the text answer stands');
  }
}
