import { knowledgeAnswer } from '../../commands/knowledge-answer.js';
import { channelCommand } from '../../commands/channel-commands.js';
import { parseQuery } from '../../core/query/parse-query.js';
import { answerQuery } from './answer-query.js';
import { channelRef, recordTriage, type SlackDeps } from './slack-deps.js';
import { intakeMessage } from './trace-intake.js';
import { obj, str } from './message-events.js';
import { postToResponseUrl } from './response-url.js';
import { renderCard } from './render-blocks.js';
import { ACTION_DETAILS, answerMessage, noticeMessage, triageReply } from './slack-messages.js';
import { slackErrorCode } from './slack-error.js';
import { answerInThread, contentOf, type SourceMessage } from './thread-answer.js';
import { ACTION_SHARE_CARRIER, keptShareButton } from './share-button.js';
import { DETAIL_CARDS, detailCards, moreCardsText } from '../../core/card/detail-cards.js';

type Payload = Record<string, unknown>;

const NO_SIP =
  'No SIP trace in that message. siptriage looks for a start line such as `SIP/2.0 503 Service Unavailable` or ' +
  '`INVITE sip:bob@example.com SIP/2.0`, or a shared .txt, .log, .pcap or .pcapng file.';

/** Share in channel: the ephemeral answer is posted again for everyone, saying who shared it, and withdrawn. */
export async function onShare(deps: SlackDeps, body: Payload, value: string): Promise<void> {
  const url = str(body['response_url']);
  const user = str(obj(body['user'])['id']);
  if (url === undefined) return;
  const channel = str(obj(body['channel'])['id']);
  if (channelCommand(parseQuery(value)) !== undefined && user !== undefined && channel !== undefined) {
    // Stats and digests are asked again (they read the store), for everyone this time.
    const ref = channelRef(str(obj(body['team'])['id']), channel);
    await answerQuery(deps, { text: value, public: true, user, ref, respond: (b) => postToResponseUrl(url, { replace_original: false, ...b }) });
    await postToResponseUrl(url, { delete_original: true });
    return;
  }
  // The short answer (or the one part) is what the channel gets: never the whole 12,000-character card.
  const card = knowledgeAnswer(deps.engine, value);
  await postToResponseUrl(url, { response_type: 'in_channel', replace_original: false, ...answerMessage(card, user === undefined ? {} : { askedBy: user, query: value }) });
  await postToResponseUrl(url, { delete_original: true });
}

/**
 * Details: the per-call cards go into the thread under the summary. The trace is read again from Slack (the
 * button holds only the pasted message's ts), so nothing is kept in memory between the paste and the click.
 */
export async function onDetails(deps: SlackDeps, body: Payload, value: string): Promise<void> {
  // "ts" from the summary's button, "ts#offset" from a "Show more" button under earlier cards.
  const [sourceTs = '', at] = value.split('#');
  const offset = Math.max(0, Number(at ?? '0') || 0);
  const channel = str(obj(body['channel'])['id']);
  const user = str(obj(body['user'])['id']);
  const message = obj(body['message']);
  const container = obj(body['container']);
  const summaryTs = str(container['message_ts']) ?? str(message['ts']);
  const threadTs = str(message['thread_ts']) ?? str(container['thread_ts']) ?? sourceTs;
  if (channel === undefined || user === undefined || summaryTs === undefined) return;
  // A second click (or a double click) while the first is posting must not post the cards twice.
  if (!deps.seen.first(`details:${channel}:${summaryTs}:${offset}`)) return;
  const tell = (text: string) => deps.client.chat.postEphemeral({ channel, user, thread_ts: threadTs, ...noticeMessage(text) });

  // Bounded to the pasted message; limit 2 because a thread's parent can come first when the paste is a reply.
  const found = await deps.client.conversations.replies({ channel, ts: sourceTs, oldest: sourceTs, latest: sourceTs, inclusive: true, limit: 2 });
  const source = (found.messages ?? []).find((m) => m.ts === sourceTs);
  if (source === undefined) {
    await tell('The pasted message is gone, so there are no details to show.');
    return;
  }
  const intake = await intakeMessage(deps, contentOf(source as Payload));
  if (intake.kind !== 'input') {
    await tell(intake.kind === 'problem' ? intake.message : 'The pasted message no longer holds a SIP trace.');
    return;
  }
  const outcome = await deps.triage.run(intake.input);
  if (offset === 0) {
    const summary = triageReply(outcome, sourceTs, intake.from);
    // The button goes (the cards are in the thread now) and the summary says who unfolded them.
    const withoutButton = summary.blocks.filter((b) => !(b.type === 'actions' && b.elements.some((e) => 'action_id' in e && e.action_id === ACTION_DETAILS)));
    withoutButton.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Details below, opened by <@${user}>` }] });
    const share = keptShareButton(message['blocks']);
    if (share !== undefined && !withoutButton.some((b) => b.type === 'actions' && b.elements.some((e) => 'action_id' in e && e.action_id === ACTION_SHARE_CARRIER))) {
      withoutButton.push(share as (typeof withoutButton)[number]);
    }
    await deps.client.chat.update({ channel, ts: summaryTs, text: summary.text, blocks: withoutButton });
  } else {
    // The "Show more" message keeps its words and loses its button: the next cards follow it.
    const m = noticeMessage(`More call cards below, opened by ${user}.`);
    await deps.client.chat.update({ channel, ts: summaryTs, text: m.text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `More call cards below, opened by <@${user}>` }] }] });
  }
  const { shown, more } = detailCards(outcome.calls, offset);
  for (const card of shown) {
    const m = renderCard(card);
    await deps.client.chat.postMessage({ channel, thread_ts: threadTs, text: m.text, blocks: m.blocks, unfurl_links: false });
  }
  if (more > 0) {
    // Offered, not posted: one click shows the next few, in this thread, without leaving Slack.
    const m = noticeMessage(moreCardsText(more, ''));
    const next = `${sourceTs}#${offset + shown.length}`;
    const button = { type: 'button' as const, action_id: ACTION_DETAILS, text: { type: 'plain_text' as const, text: `Show ${Math.min(more, DETAIL_CARDS)} more` }, value: next };
    await deps.client.chat.postMessage({ channel, thread_ts: threadTs, text: m.text, blocks: [...m.blocks, { type: 'actions', elements: [button] }] });
  }
}

/** The "Triage SIP trace" message shortcut: the same answer as a paste, on any message, on request. */
export async function onTriageShortcut(deps: SlackDeps, body: Payload): Promise<void> {
  const url = str(body['response_url']);
  const channel = str(obj(body['channel'])['id']);
  const team = str(obj(body['team'])['id']);
  const message = obj(body['message']);
  const ts = str(message['ts']);
  if (channel === undefined || ts === undefined) return;
  const tell = (text: string): Promise<void> => (url === undefined ? Promise.resolve() : postToResponseUrl(url, { response_type: 'ephemeral', ...noticeMessage(text) }));
  // Another bot's message is fine on request (monitoring bots post traces); our own replies are not traces.
  if (message['user'] === deps.botUserId || (deps.botId !== undefined && message['bot_id'] === deps.botId)) {
    await tell('That is a siptriage answer, not a trace.');
    return;
  }
  deps.metrics?.chatCommand('slack', 'triage');
  const source: SourceMessage = { team, channel, ts, threadTs: str(message['thread_ts']), content: contentOf(message) };
  try {
    const answer = await answerInThread(deps, source, 'demand');
    if (answer.kind === 'ignored') await tell(NO_SIP);
  } catch (err) {
    const code = slackErrorCode(err);
    if (url === undefined || (code !== 'not_in_channel' && code !== 'channel_not_found')) throw err;
    // Not a member here: the answer still reaches the person who asked, privately.
    const intake = await intakeMessage(deps, source.content);
    if (intake.kind !== 'input') {
      await tell(intake.kind === 'problem' ? intake.message : NO_SIP);
      return;
    }
    const outcome = await deps.triage.run(intake.input);
    const reply = triageReply(outcome, ts, intake.from);
    const blocks = reply.blocks.filter((b) => b.type !== 'actions');
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Only you can see this: invite @siptriage to the channel to get answers in the thread.' }] });
    await postToResponseUrl(url, { response_type: 'ephemeral', text: reply.text, blocks });
    await recordTriage(deps, channelRef(team, channel), outcome);
  }
}

/** A card's follow-up button (a digest's top code, "stats 7d"): that query, answered as /sip answers it. */
export async function onQueryButton(deps: SlackDeps, body: Payload, query: string): Promise<void> {
  const url = str(body['response_url']);
  const user = str(obj(body['user'])['id']);
  const channel = str(obj(body['channel'])['id']) ?? str(obj(body['container'])['channel_id']);
  if (url === undefined || user === undefined || channel === undefined || query === '') return;
  const ref = channelRef(str(obj(body['team'])['id']) ?? str(obj(body['user'])['team_id']), channel);
  const userName = str(obj(body['user'])['username']) ?? str(obj(body['user'])['name']);
  // replace_original false: the card with the buttons stays; the answer comes under it, for the clicker only.
  // Opening a kept call is the exception: its ladder and Share with carrier need a real message in the
  // channel (response_url takes no files), as a pasted trace gets.
  const opensCall = /^calls\s+open\s/i.test(query);
  await answerQuery(deps, { text: query, public: opensCall, user, ...(userName === undefined ? {} : { userName }), ref, respond: (b) => postToResponseUrl(url, { replace_original: false, ...b }) });
}
