import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { Card } from '../../core/card/card.js';
import { clipWords } from './fit-text.js';
import { literalCustomId, type HeldQueries } from './held-queries.js';
import { DISCORD_LIMITS as L } from './limits.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/**
 * The cards' follow-up actions as buttons, five to a row, in at most `rows` rows (Discord allows five rows
 * per message; the caller keeps room for its own). The query travels in the custom id, which Discord caps
 * at 100 characters and wants unique in a message: a query that does not fit is held behind a token, never
 * cut into another query (with nothing to hold it, as in a one-off CLI post, it is left out), and one asked
 * twice gets one button.
 */
export function actionRows(cards: readonly Card[], queries: HeldQueries | undefined, rows: number = L.actionRows): ActionRow[] {
  const seen = new Set<string>();
  const actions = cards.flatMap((c) => c.actions ?? []);
  // The parts of an answer and other follow-ups first; related codes start a row of their own.
  const groups = [actions.filter((a) => a.role !== 'related'), actions.filter((a) => a.role === 'related')];
  const out: ActionRow[] = [];
  for (const group of groups) {
    const buttons: APIComponentInMessageActionRow[] = [];
    for (const action of group) {
      const query = action.query.trim();
      if (query === '' || seen.has(query)) continue;
      const customId = queries === undefined ? literalCustomId('query', query) : queries.customId('query', query);
      if (customId === undefined) continue;
      seen.add(query);
      buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: clipWords(action.label === '' ? action.query : action.label, L.buttonLabel), custom_id: customId });
    }
    for (let i = 0; i < buttons.length && out.length < Math.min(rows, L.actionRows); i += L.buttonsPerRow) {
      out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + L.buttonsPerRow) });
    }
  }
  return out;
}
