import { knowledgeAnswer } from '../../commands/knowledge-answer.js';
import { channelCommand } from '../../commands/channel-commands.js';
import { parseQuery } from '../../core/query/parse-query.js';
import { answerMentionCommand } from './answer-channel.js';
import { channelRef, recordQuery, settingsFor, type SlackDeps } from './slack-deps.js';
import { answerMessage } from './slack-messages.js';
import { answerInThread, contentOf, type SourceMessage } from './thread-answer.js';

type Payload = Record<string, unknown>;

// Message subtypes that carry something a person wrote or shared; joins, topic changes, deletions and the
// like never hold a trace (https://docs.slack.dev/reference/events/message).
const PASTE_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/** Events API `message` (message.channels, message.groups): paste-to-triage and edits. Bolt has acked already. */
export async function onMessageEvent(deps: SlackDeps, body: Payload, event: Payload): Promise<void> {
  if (!firstDelivery(deps, body)) return;
  const channel = str(event['channel']);
  if (channel === undefined) return;
  const team = str(body['team_id']);
  const subtype = str(event['subtype']);
  let message: Payload;
  if (subtype === 'message_changed') {
    message = obj(event['message']);
    const previous = obj(event['previous_message']);
    // Unfurls and reactions also arrive as message_changed with the text untouched.
    if (str(message['text']) === str(previous['text']) && JSON.stringify(message['files'] ?? null) === JSON.stringify(previous['files'] ?? null)) return;
  } else if (PASTE_SUBTYPES.has(subtype)) {
    message = event;
  } else {
    return;
  }
  if (fromABot(deps, message)) return;
  const text = str(message['text']) ?? '';
  // A mention of the bot is answered by the app_mention listener; answering here too would answer twice.
  if (text.includes(`<@${deps.botUserId}>`)) return;
  const ts = str(message['ts']);
  if (ts === undefined) return;
  const ref = channelRef(team, channel);
  if (!(await settingsFor(deps, ref)).autoTriage) return;
  const source: SourceMessage = { team, channel, ts, threadTs: str(message['thread_ts']), content: contentOf(message) };
  await answerInThread(deps, source, 'auto');
}

/** `@siptriage …`: a trace is triaged in the thread; words are answered like /sip; nothing gets the usage card, privately. */
export async function onAppMention(deps: SlackDeps, body: Payload, event: Payload): Promise<void> {
  if (!firstDelivery(deps, body)) return;
  if (fromABot(deps, event)) return;
  const channel = str(event['channel']);
  const ts = str(event['ts']);
  if (channel === undefined || ts === undefined) return;
  const team = str(body['team_id']);
  const threadTs = str(event['thread_ts']);
  const source: SourceMessage = { team, channel, ts, threadTs, content: contentOf(event) };
  const answer = await answerInThread(deps, source, 'demand');
  if (answer.kind === 'answered') {
    deps.metrics?.chatCommand('slack', 'triage');
    return;
  }
  const query = (str(event['text']) ?? '').replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, '').trim();
  const user = str(event['user']);
  const parsed = parseQuery(query);
  const command = channelCommand(parsed);
  if (command !== undefined) {
    await answerMentionCommand(deps, { ref: channelRef(team, channel), user, threadTs: threadTs ?? ts, text: query }, command);
    return;
  }
  deps.metrics?.chatCommand('slack', parsed.kind);
  const card = knowledgeAnswer(deps.engine, query);
  if (card.kind === 'usage' && user !== undefined) {
    const message = answerMessage(card, {});
    await deps.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) });
  } else {
    const message = answerMessage(card, user === undefined ? {} : { askedBy: user });
    await deps.client.chat.postMessage({ channel, thread_ts: threadTs ?? ts, text: message.text, blocks: message.blocks, unfurl_links: false });
  }
  await recordQuery(deps, card.kind);
}

/** Never answer ourselves or another bot (bot loops; Bolt's ignoreSelf misses edits of our own replies). */
export function fromABot(deps: SlackDeps, message: Payload): boolean {
  if (message['bot_id'] !== undefined || message['subtype'] === 'bot_message') return true;
  return message['user'] === deps.botUserId;
}

function firstDelivery(deps: SlackDeps, body: Payload): boolean {
  const id = str(body['event_id']);
  return id === undefined || deps.seen.first(id);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function obj(v: unknown): Payload {
  return typeof v === 'object' && v !== null ? (v as Payload) : {};
}
