import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { knowledgeAnswer } from '../../commands/knowledge-answer.js';
import { channelCommand } from '../../commands/channel-commands.js';
import { parseQuery } from '../../core/query/parse-query.js';
import { suggest } from '../../core/query/suggest.js';
import { actionRows } from './action-rows.js';
import { answerChannelCommand } from './channel-command.js';
import { MAX_QUERY_OPTION } from './commands.js';
import type { DiscordDeps } from './deps.js';
import { BUTTON_EXPIRED, type HeldQueries } from './held-queries.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { answerInteraction } from './reply.js';
import { renderMessages } from './render-messages.js';

/** /sip query:<text> [public]: the card, only for the asker unless public, with a Share button. */
export async function handleSip(deps: DiscordDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const query = interaction.options.getString('query', true).slice(0, MAX_QUERY_OPTION);
  const isPublic = interaction.options.getBoolean('public') ?? false;
  await answerSipQuery(deps, interaction, query, isPublic);
}

/**
 * Answers a /sip question, from the command or a card's follow-up button: channel commands (alerts, stats,
 * digest, auto) through the module every surface shares, anything else with the engine's card.
 */
export async function answerSipQuery(deps: DiscordDeps, interaction: RepliableInteraction, query: string, isPublic: boolean): Promise<void> {
  const parsed = parseQuery(query);
  const command = channelCommand(parsed);
  if (command !== undefined) {
    await answerChannelCommand(deps, interaction, command, { query, public: isPublic, shareRow });
    return;
  }
  deps.metrics?.chatCommand('discord', parsed.kind);
  const card = knowledgeAnswer(deps.engine, query);
  const shareable = !isPublic && card.isError !== true;
  const row = shareable ? shareRow(deps.queries, query) : undefined;
  const share = row === undefined ? [] : [row];
  await answerInteraction(interaction, renderMessages([card]), {
    ephemeral: !isPublic,
    components: [...actionRows([card], deps.queries, L.actionRows - share.length), ...share],
  });
  deps.recorder.query(card.kind);
}

// What the box offers for the channel commands, before the knowledge base's codes and words.
const CHANNEL_CHOICES = ['stats', 'stats 7d', 'stats 24h peer', 'digest', 'digest subscribe', 'digest now', 'alerts', 'alerts subscribe', 'auto', 'auto off', 'auto on'];

/** Autocomplete for the query option, from the in-memory index: well inside Discord's 3 s. */
export async function handleSipAutocomplete(deps: DiscordDeps, interaction: AutocompleteInteraction): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const t = typed.trim().toLowerCase();
  const channel = t.length < 2 ? [] : CHANNEL_CHOICES.filter((c) => c.startsWith(t)).map((c) => ({ name: `/sip ${c}`, value: c }));
  const choices = suggest(deps.engine.kb, typed, { limit: L.choices, maxLabel: L.choiceName }).map((s) => ({
    name: s.label,
    value: s.query.slice(0, L.choiceValue),
  }));
  await interaction.respond([...channel, ...choices].slice(0, L.choices));
}

/** Share: posts the same answer to the channel, saying who shared it (without pinging them). */
export async function handleShare(deps: DiscordDeps, interaction: ButtonInteraction): Promise<void> {
  const query = deps.queries.queryOf('share', interaction.customId);
  if (query === undefined) {
    await expired(interaction);
    return;
  }
  const content = `Shared by <@${interaction.user.id}>: /sip ${query}`;
  const command = channelCommand(parseQuery(query));
  if (command !== undefined) {
    // Stats are asked again (they read the store), for everyone this time.
    await answerChannelCommand(deps, interaction, command, { query, public: true, content });
    return;
  }
  const card = knowledgeAnswer(deps.engine, query);
  await answerInteraction(interaction, renderMessages([card], { content }), { ephemeral: false, components: actionRows([card], deps.queries) });
}

/** A card's follow-up button (a digest's top code, "stats 7d"): that query, answered as /sip answers it. */
export async function handleQueryButton(deps: DiscordDeps, interaction: ButtonInteraction): Promise<void> {
  const query = deps.queries.queryOf('query', interaction.customId);
  if (query === undefined) await expired(interaction);
  else await answerSipQuery(deps, interaction, query, false);
}

async function expired(interaction: ButtonInteraction): Promise<void> {
  await interaction.reply({ content: BUTTON_EXPIRED, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** The Share button for an answer to `query`; none when a long query could not be held. */
export function shareRow(queries: HeldQueries, query: string): APIActionRowComponent<APIComponentInMessageActionRow> | undefined {
  const customId = queries.customId('share', query);
  if (customId === undefined) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'Share',
        emoji: { name: '📣' },
        custom_id: customId,
      },
    ],
  };
}
