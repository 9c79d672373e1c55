import { knowledgeAnswer } from '../../commands/knowledge-answer.js';
import { channelCommand } from '../../commands/channel-commands.js';
import type { ChannelRef } from '../../core/chat-port.js';
import { containsSip } from '../../core/engine.js';
import { parseQuery } from '../../core/query/parse-query.js';
import { answerChannelCommand } from './answer-channel.js';
import { uploadLadder } from './ladder-upload.js';
import { renderCard, type SlackMessage } from './render-blocks.js';
import { recordQuery, recordTriage, type SlackDeps } from './slack-deps.js';
import { shareCarrierButtons, withShareButton } from './share-button.js';
import { answerMessage } from './slack-messages.js';

/** A /sip question and where its answer goes: the slash command's response_url, or a button's. */
export interface AskedQuery {
  readonly text: string;
  readonly public: boolean;
  readonly user: string;
  /** The asker's display name, where Slack gives one: alerts show it ("Acknowledged by alice"). */
  readonly userName?: string;
  readonly ref: ChannelRef;
  respond(body: object): Promise<void>;
}

/** Call cards sent after a triage summary from /sip: response_url takes five posts, one went to the summary. */
const MAX_CALL_CARDS = 3;

/**
 * Answers a /sip question: the card ephemerally with a Share button, or for the channel with `public`; bad
 * input gets the usage card, always ephemerally. A trace is triaged; channel commands (alerts, stats, digest,
 * auto) go to the module every surface shares.
 */
export async function answerQuery(deps: SlackDeps, asked: AskedQuery): Promise<void> {
  if (containsSip(asked.text)) {
    deps.metrics?.chatCommand('slack', 'triage');
    await answerTrace(deps, asked, asked.text);
    return;
  }
  const query = parseQuery(asked.text);
  const command = channelCommand(query);
  if (command !== undefined) {
    // A kept call opened from /sip calls is answered as if its trace had been pasted.
    await answerChannelCommand(deps, asked, command, (text) => answerTrace(deps, asked, text));
    return;
  }
  deps.metrics?.chatCommand('slack', query.kind);
  const card = knowledgeAnswer(deps.engine, asked.text);
  const bad = card.kind === 'usage';
  const message: SlackMessage = bad
    ? answerMessage(card, {})
    : asked.public
      ? answerMessage(card, { askedBy: asked.user, query: asked.text })
      : answerMessage(card, { share: asked.text });
  await asked.respond({ response_type: asked.public && !bad ? 'in_channel' : 'ephemeral', ...message });
  await recordQuery(deps, card.kind);
}

/** A trace (pasted, or a kept call opened): the summary with Share with carrier, call cards, then the ladder. */
async function answerTrace(deps: SlackDeps, asked: AskedQuery, text: string): Promise<void> {
  const outcome = await deps.triage.run({ kind: 'text', text });
  const visibility = asked.public ? 'in_channel' : 'ephemeral';
  // Only a public answer gets the ladder and the share button: a private answer has no thread to post files into.
  const shareId = asked.public && outcome.ladder !== undefined ? deps.held.hold({ input: { kind: 'text', text }, source: undefined, scope: asked.ref.channel }) : undefined;
  const summary = answerMessage(outcome.summary, asked.public ? { askedBy: asked.user } : {});
  await asked.respond({ response_type: visibility, ...(shareId === undefined ? summary : withShareButton(summary, shareCarrierButtons(shareId, deps.engine.options.redact))) });
  for (const card of outcome.calls.slice(0, MAX_CALL_CARDS)) await asked.respond({ response_type: visibility, ...renderCard(card) });
  await recordTriage(deps, asked.ref, outcome);
  if (asked.public && outcome.ladder !== undefined) await uploadLadder(deps, { channel: asked.ref.channel, threadTs: undefined }, outcome.ladder);
}
