import type { webApi } from '@slack/bolt';
import type { Logger } from '../../ports/logger.js';
import type { ChannelRef, ChatPoster, OutgoingMessage, PostedMessage } from '../../core/chat-port.js';
import { renderCards } from './render-blocks.js';
import { SlackError } from './slack-error.js';

/**
 * Slack's side of ChatPoster, for digests and spike alerts: chat.postMessage and chat.update, with the same
 * Block Kit renderer as every answer. The Web API client retries 429s after Retry-After on its own.
 */
export function slackChatPoster(client: webApi.WebClient, log: Logger): ChatPoster {
  return {
    platform: 'slack',
    async post(ref: ChannelRef, message: OutgoingMessage): Promise<PostedMessage> {
      const rendered = renderCards(message.cards, message.text);
      let ts: string | undefined;
      try {
        ts = (await client.chat.postMessage({ channel: ref.channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false })).ts;
      } catch (err) {
        throw new SlackError('SLACK_API_FAILED', `posting to ${ref.channel} failed`, { cause: err });
      }
      if (ts === undefined) throw new SlackError('SLACK_API_FAILED', `Slack returned no ts for the post to ${ref.channel}`);
      if (message.image !== undefined) {
        try {
          // An image cannot be a block without a public URL, so it goes up as a file in the post's thread.
          await client.filesUploadV2({
            channel_id: ref.channel,
            thread_ts: ts,
            file: Buffer.from(message.image.png),
            filename: message.image.filename,
            alt_text: message.image.alt,
          });
        } catch (err) {
          // The post itself went out: failing it now would make the caller post it again.
          log.warn({ err: new SlackError('SLACK_API_FAILED', `the image for ${ts} was not uploaded`, { cause: err }) }, 'image not attached');
        }
      }
      return { ref, id: ts };
    },
    async reply(posted: PostedMessage, message: OutgoingMessage): Promise<PostedMessage> {
      // In the post's thread: people following it are notified, and the channel stays one message per incident.
      const rendered = renderCards(message.cards, message.text);
      try {
        const ts = (await client.chat.postMessage({ channel: posted.ref.channel, thread_ts: posted.id, text: rendered.text, blocks: rendered.blocks, unfurl_links: false })).ts;
        return { ref: posted.ref, id: ts ?? posted.id };
      } catch (err) {
        throw new SlackError('SLACK_API_FAILED', `replying to ${posted.id} in ${posted.ref.channel} failed`, { cause: err });
      }
    },
    async update(posted: PostedMessage, message: OutgoingMessage): Promise<void> {
      // Only text and blocks can change in place; an image posted with the first version stays as it was.
      const rendered = renderCards(message.cards, message.text);
      try {
        await client.chat.update({ channel: posted.ref.channel, ts: posted.id, text: rendered.text, blocks: rendered.blocks });
      } catch (err) {
        throw new SlackError('SLACK_API_FAILED', `updating ${posted.id} in ${posted.ref.channel} failed`, { cause: err });
      }
    },
  };
}
