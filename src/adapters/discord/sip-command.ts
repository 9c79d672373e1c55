import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { suggest } from '../../core/query/suggest.js';
import { CUSTOM_ID, MAX_QUERY_OPTION } from './commands.js';
import type { DiscordDeps } from './deps.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { answerInteraction } from './reply.js';
import { renderMessages } from './render-messages.js';

/** /sip query:<text> [public]: the card, only for the asker unless public, with a Share button. */
export async function handleSip(deps: DiscordDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const query = interaction.options.getString('query', true).slice(0, MAX_QUERY_OPTION);
  const isPublic = interaction.options.getBoolean('public') ?? false;
  const card = deps.engine.explain(query);
  const shareable = !isPublic && card.isError !== true;
  await answerInteraction(interaction, renderMessages([card]), {
    ephemeral: !isPublic,
    ...(shareable ? { components: [shareRow(query)] } : {}),
  });
  deps.recorder.query(card.kind);
}

/** Autocomplete for the query option, from the in-memory index: well inside Discord's 3 s. */
export async function handleSipAutocomplete(deps: DiscordDeps, interaction: AutocompleteInteraction): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const choices = suggest(deps.engine.kb, typed, { limit: L.choices, maxLabel: L.choiceName }).map((s) => ({
    name: s.label,
    value: s.query.slice(0, L.choiceValue),
  }));
  await interaction.respond(choices);
}

/** Share: posts the same card to the channel, saying who shared it (without pinging them). */
export async function handleShare(deps: DiscordDeps, interaction: ButtonInteraction): Promise<void> {
  const query = interaction.customId.slice(CUSTOM_ID.share.length);
  const card = deps.engine.explain(query);
  await answerInteraction(interaction, renderMessages([card], { content: `Shared by <@${interaction.user.id}>: /sip ${query}` }), { ephemeral: false });
}

export function shareRow(query: string): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'Share',
        emoji: { name: '📣' },
        custom_id: `${CUSTOM_ID.share}${query}`.slice(0, L.customId),
      },
    ],
  };
}
