import { ChannelType, type ChatInputCommandInteraction, type Message } from 'discord.js';
import type { ChannelRef } from '../../core/chat-port.js';
import type { AutoCommand } from '../../core/query/auto-query.js';
import { DEFAULT_CHANNEL_SETTINGS } from '../../ports/store.js';
import { answerChannelCommand } from './channel-command.js';
import type { DiscordDeps } from './deps.js';
import { clipWords } from './fit-text.js';
import { carrierRow, failingLadder, ladderFiles } from './ladder-attachment.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { renderMessages } from './render-messages.js';
import { messageInput } from './triage-command.js';
import { foundSip, offersTrace, outcomeCards, triageInput } from './trace-sources.js';

const NO_MENTIONS = { parse: [] } as const;
// A day: the thread stays in the channel list while people work on the incident.
const THREAD_ARCHIVE_MINUTES = 1440;

/** Settings are per channel; a thread follows the channel it was opened in. */
function settingsRef(message: Message<true>): ChannelRef {
  const channel = message.channel.isThread() ? (message.channel.parentId ?? message.channelId) : message.channelId;
  return { platform: 'discord', workspace: message.guildId, channel };
}

/**
 * A message in a channel where auto-triage is on: when it holds SIP (in its text or a trace file), the
 * summary and the call cards go into a thread on that message. Bots, webhooks and system messages are never
 * answered, so the bot cannot answer itself or another bot in a loop.
 */
export async function handleMessage(deps: DiscordDeps, message: Message): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.system || !message.inGuild()) return;
  const input = messageInput(message);
  if (!offersTrace(input)) return;
  const settings = deps.store === undefined ? DEFAULT_CHANNEL_SETTINGS : await deps.store.channelSettings(settingsRef(message));
  if (!settings.autoTriage) return;
  const outcome = await triageInput(deps, input);
  if (!foundSip(outcome) && outcome.problems.length === 0) return;
  const messages = renderMessages(outcomeCards(outcome));
  const summary = outcome.answers[0]?.summary.title ?? 'SIP trace';
  const target =
    message.channel.isThread() || (message.channel.type !== ChannelType.GuildText && message.channel.type !== ChannelType.GuildAnnouncement)
      ? undefined
      : await message.startThread({ name: clipWords(`Triage: ${summary}`, L.threadName), autoArchiveDuration: THREAD_ARCHIVE_MINUTES });
  // No deadline here (nothing to acknowledge), so the ladder rides on the first message; the button's trace is
  // held for the channel the answer lands in, the new thread when there is one.
  const failing = failingLadder(deps, outcome, target?.id ?? message.channelId);
  const files = failing === undefined ? [] : await ladderFiles(deps, failing.ladder);
  const components = failing?.shareId === undefined ? [] : [carrierRow(failing.shareId, deps.engine.options.redact)];
  for (const [i, m] of messages.entries()) {
    const extra = i === 0 ? { files, components } : {};
    const body = { ...(m.content === undefined ? {} : { content: m.content }), embeds: m.embeds, allowedMentions: NO_MENTIONS, ...extra };
    if (target !== undefined) await target.send(body);
    else if (i === 0) await message.reply(body);
    else await message.channel.send(body);
  }
  for (const answer of outcome.answers) deps.recorder.triage(answer.events, { guild: message.guildId, channel: message.channelId });
}

/** /sip-auto on|off|status: the same as /sip auto …, through the module every surface shares. */
export async function handleAutoCommand(deps: DiscordDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const mode = interaction.options.getString('mode', true);
  const command: AutoCommand = mode === 'on' ? { action: 'on' } : mode === 'off' ? { action: 'off' } : { action: 'status' };
  await answerChannelCommand(deps, interaction, { kind: 'auto', command }, { query: `auto ${mode}`, public: false });
}
