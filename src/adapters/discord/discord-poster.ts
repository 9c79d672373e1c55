import { Routes, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { ChatPoster, OutgoingMessage, PostedMessage } from '../../core/chat-port.js';
import { actionRows } from './action-rows.js';
import { DiscordError } from './discord-error.js';
import type { HeldQueries } from './held-queries.js';
import { clipWords } from './fit-text.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { renderMessages } from './render-messages.js';

/**
 * Posts and edits channel messages for digests and alerts through discord.js's REST client, whose queue
 * waits out rate limits (429s are retried, not dropped). One message per post: a digest is one card.
 * `queries` holds the buttons' long queries; a one-off CLI post has none (nothing would answer their clicks),
 * and leaves such buttons out.
 */
export function discordPoster(rest: REST, queries?: HeldQueries): ChatPoster {
  return {
    platform: 'discord',
    async post(ref, message) {
      const { body, files } = messageBody(message, queries);
      try {
        const sent = (await rest.post(Routes.channelMessages(ref.channel), { body, files })) as APIMessage;
        return { ref, id: sent.id };
      } catch (cause) {
        throw new DiscordError('DISCORD_API', `could not post to Discord channel ${ref.channel}`, { cause });
      }
    },
    async reply(posted: PostedMessage, message) {
      const { body, files } = messageBody(message, queries);
      try {
        // fail_if_not_exists false: if the alert was deleted, the reply still goes out as a plain message.
        const sent = (await rest.post(Routes.channelMessages(posted.ref.channel), { body: { ...body, message_reference: { message_id: posted.id, fail_if_not_exists: false } }, files })) as APIMessage;
        return { ref: posted.ref, id: sent.id };
      } catch (cause) {
        throw new DiscordError('DISCORD_API', `could not reply to Discord message ${posted.id}`, { cause });
      }
    },
    async update(posted: PostedMessage, message) {
      const { body, files } = messageBody(message, queries);
      try {
        await rest.patch(Routes.channelMessage(posted.ref.channel, posted.id), { body: { ...body, attachments: files.map((_, id) => ({ id })) }, files });
      } catch (cause) {
        throw new DiscordError('DISCORD_API', `could not update Discord message ${posted.id}`, { cause });
      }
    },
  };
}

function messageBody(message: OutgoingMessage, queries: HeldQueries | undefined): { body: RESTPostAPIChannelMessageJSONBody; files: { name: string; data: Buffer }[] } {
  const [first] = renderMessages(message.cards, { maxMessages: 1 });
  const embeds = first?.embeds ?? [];
  const image = message.image;
  const files = image === undefined ? [] : [{ name: image.filename, data: Buffer.from(image.png) }];
  if (image !== undefined) {
    const url = `attachment://${image.filename}`;
    if (embeds[0] !== undefined) embeds[0] = { ...embeds[0], image: { url } };
    else embeds.push({ image: { url }, description: clipWords(image.alt, L.description) });
  }
  const content = clipWords([message.text, first?.content].filter((t) => t !== undefined && t !== '').join('\n'), L.content);
  // A digest's top codes as buttons: clicking one asks /sip <code> privately (dispatch.ts).
  return { body: { content, embeds, components: actionRows(message.cards, queries), allowed_mentions: { parse: [] } }, files };
}
