import { Events, type Client, type Interaction } from 'discord.js';
import { SiptriageError } from '../../errors/errors.js';
import { handleAutoCommand, handleMessage } from './auto-triage.js';
import { COMMAND, CUSTOM_ID } from './commands.js';
import type { DiscordDeps } from './deps.js';
import { CARRIER_KEEP_PREFIX, CARRIER_PREFIX } from './ladder-attachment.js';
import { answerFault } from './reply.js';
import { handleShareCarrier } from './share-carrier.js';
import { handleQueryButton, handleShare, handleSip, handleSipAutocomplete } from './sip-command.js';
import { handleTriageCommand, handleTriageMessage, handleTriageModal } from './triage-command.js';

/** Routes gateway events to the handlers; a handler's fault is logged and answered with one short line. */
export function attachHandlers(client: Client, deps: DiscordDeps): void {
  client.on(Events.InteractionCreate, (interaction) => void route(deps, interaction));
  if (deps.autoTriage) {
    client.on(Events.MessageCreate, (message) => {
      handleMessage(deps, message).catch((err: unknown) => deps.log.error({ err, channel: message.channelId }, 'auto-triage failed'));
    });
  }
}

async function route(deps: DiscordDeps, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      if (interaction.commandName === COMMAND.sip) await handleSipAutocomplete(deps, interaction);
    } else if (interaction.isChatInputCommand()) {
      if (interaction.commandName === COMMAND.sip) await handleSip(deps, interaction);
      else if (interaction.commandName === COMMAND.triage) await handleTriageCommand(deps, interaction);
      else if (interaction.commandName === COMMAND.auto) await handleAutoCommand(deps, interaction);
    } else if (interaction.isMessageContextMenuCommand()) {
      if (interaction.commandName === COMMAND.triageMessage) await handleTriageMessage(deps, interaction);
    } else if (interaction.isModalSubmit()) {
      if (interaction.customId.startsWith(CUSTOM_ID.triageModal)) await handleTriageModal(deps, interaction);
    } else if (interaction.isButton()) {
      const id = interaction.customId;
      if (id.startsWith(CUSTOM_ID.share) || id.startsWith(CUSTOM_ID.heldShare)) await handleShare(deps, interaction);
      else if (id.startsWith(CUSTOM_ID.query) || id.startsWith(CUSTOM_ID.heldQuery)) await handleQueryButton(deps, interaction);
      else if (id.startsWith(CARRIER_PREFIX)) await handleShareCarrier(deps, interaction);
      else if (id.startsWith(CARRIER_KEEP_PREFIX)) await handleShareCarrier(deps, interaction, { numbers: true, addresses: true });
    }
  } catch (err) {
    deps.log.error({ err, interaction: interaction.type, channel: interaction.channelId }, 'discord interaction failed');
    if (!interaction.isRepliable()) return;
    const text = err instanceof SiptriageError ? `${err.message}.` : 'Something went wrong on our side; the error is logged.';
    await answerFault(interaction, text).catch((e: unknown) => deps.log.warn({ err: e }, 'could not report the failure to Discord'));
  }
}
