import type { ChannelCommand } from '../../commands/channel-commands.js';
import type { ChannelRef } from '../../core/chat-port.js';
import type { AskedQuery } from './answer-query.js';
import type { SlackDeps } from './slack-deps.js';
import { answerCards, changedByMessage } from './slack-messages.js';

/**
 * /sip alerts|stats|digest|auto in Slack. The answer is the shared module's; Slack decides who sees it:
 * a changed setting is confirmed privately and the channel is told who changed it (as Slack itself says
 * "@alice renamed the channel"); `public` shows an answer to everyone; a digest's chart needs a real
 * message (response_url takes no files), so it comes with the public answer only.
 */
export async function answerChannelCommand(deps: SlackDeps, asked: AskedQuery, command: ChannelCommand, answerTrace?: (text: string) => Promise<void>): Promise<void> {
  const result = await deps.commands.answer({ channel: asked.ref, by: asked.userName ?? asked.user }, command);
  const { message } = result;
  if (result.trace !== undefined && answerTrace !== undefined) {
    await answerTrace(result.trace.text);
    return;
  }
  if (result.changed !== undefined) {
    await asked.respond({ response_type: 'ephemeral', ...answerCards(message.cards, message.text, {}) });
    await asked.respond({ response_type: 'in_channel', ...changedByMessage(asked.user, result.changed) });
    return;
  }
  const isPublic = asked.public && !result.isError;
  if (isPublic && message.image !== undefined) {
    try {
      await deps.poster.post(asked.ref, message);
      return;
    } catch (err) {
      // Not a member of the channel, most often: the answer still goes out, without its chart.
      deps.log.warn({ err }, 'could not post the answer with its image; answering through response_url');
    }
  }
  const notes = message.image !== undefined && !isPublic ? ['The chart comes with the answer in the channel: add `public` to the command.'] : [];
  const options = isPublic ? { askedBy: asked.user, query: asked.text } : result.isError ? { notes } : { share: asked.text, notes };
  await asked.respond({ response_type: isPublic ? 'in_channel' : 'ephemeral', ...answerCards(message.cards, message.text, options) });
}

/** Where an @siptriage mention was, for answering a channel command in its thread. */
export interface Mention {
  readonly ref: ChannelRef;
  readonly user: string | undefined;
  readonly threadTs: string;
  readonly text: string;
}

/**
 * `@siptriage stats`: a mention is asked in front of the channel, so it is answered there, in the thread,
 * saying who asked or who changed what; bad input and what cannot be answered go to the asker alone.
 */
export async function answerMentionCommand(deps: SlackDeps, mention: Mention, command: ChannelCommand): Promise<void> {
  const result = await deps.commands.answer({ channel: mention.ref }, command);
  const { message } = result;
  const channel = mention.ref.channel;
  if (result.isError && mention.user !== undefined) {
    const m = answerCards(message.cards, message.text, {});
    await deps.client.chat.postEphemeral({ channel, user: mention.user, thread_ts: mention.threadTs, text: m.text, blocks: m.blocks });
    return;
  }
  const notes = result.changed !== undefined ? [changedByMessage(mention.user ?? '', result.changed).text] : [];
  const options = result.changed === undefined && mention.user !== undefined ? { askedBy: mention.user, query: mention.text } : { notes };
  const m = answerCards(message.cards, message.text, options);
  await deps.client.chat.postMessage({ channel, thread_ts: mention.threadTs, text: m.text, blocks: m.blocks, unfurl_links: false });
  if (message.image !== undefined) {
    await deps.client
      .filesUploadV2({ channel_id: channel, thread_ts: mention.threadTs, file: Buffer.from(message.image.png), filename: message.image.filename, alt_text: message.image.alt })
      .catch((err: unknown) => deps.log.warn({ err }, 'could not upload the chart to the thread'));
  }
}
