import type { TriageOutcome } from '../../ports/triage-runner.js';
import type { Card } from '../../core/card/card.js';
import { cutLine, escapeMrkdwn, plainLine, SLACK_LIMITS } from './block-text.js';
import { renderCard, renderCards, type ActionsBlock, type SlackMessage } from './render-blocks.js';

/** Interaction ids; slack/manifest.yaml names the same command and shortcut. */
export const SIP_COMMAND = '/sip';
export const SHORTCUT_TRIAGE = 'triage_sip_trace';
export const ACTION_SHARE = 'sip_share';
export const ACTION_DETAILS = 'sip_details';

/** Slack-only ways in, added under the usage card. */
const SLACK_USAGE = [
  '`/sip 503 public` posts the answer for the whole channel · `/sip auto off` / `/sip auto on` stops or resumes automatic triage here',
  'Paste a trace (or share a .txt, .log, .pcap file) in a channel siptriage is in · message menu → *Triage SIP trace* · `@siptriage` with a trace',
];

export interface AnswerOptions {
  readonly share?: string;
  readonly askedBy?: string;
  readonly query?: string;
  /** Context lines of our own (mrkdwn, not escaped: never user text). */
  readonly notes?: readonly string[];
}

/** A /sip answer: ephemeral ones carry a Share button, public ones say who asked. */
export function answerMessage(card: Card, options: AnswerOptions): SlackMessage {
  const context = contextLines(options);
  if (card.kind === 'usage') context.push(...SLACK_USAGE);
  // The query travels back in the button's value: one too long for it gets no Share button rather than a cut
  // value, which would share the answer to another query.
  const actions: ActionsBlock | undefined =
    options.share === undefined || options.share.length > SLACK_LIMITS.buttonValue
      ? undefined
      : {
          type: 'actions',
          elements: [{ type: 'button', action_id: ACTION_SHARE, text: { type: 'plain_text', text: 'Share in channel' }, value: options.share }],
        };
  return renderCard(card, { context, ...(actions === undefined ? {} : { actions }) });
}

/** Several cards as one answer (a digest): who asked and the notes close it, when there is room. */
export function answerCards(cards: readonly Card[], text: string, options: AnswerOptions): SlackMessage {
  const [only, ...more] = cards;
  if (only !== undefined && more.length === 0) return answerMessage(only, options);
  const message = renderCards(cards, text);
  const context = contextLines(options);
  if (context.length === 0 || message.blocks.length >= SLACK_LIMITS.blocks) return message;
  const elements = context.slice(0, SLACK_LIMITS.contextElements).map((c) => ({ type: 'mrkdwn' as const, text: cutLine(c, SLACK_LIMITS.text) }));
  return { text: message.text, blocks: [...message.blocks, { type: 'context', elements }] };
}

/** The line a channel sees when someone changes its settings: "@alice turned automatic triage off in this channel." */
export function changedByMessage(user: string, changed: string): SlackMessage {
  // `changed` is our own phrase; the user id comes from Slack's signed payload and is checked to be one.
  const who = /^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : 'Someone';
  const text = `${who} ${changed}.`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

function contextLines(options: AnswerOptions): string[] {
  const context: string[] = [];
  if (options.askedBy !== undefined) {
    const q = options.query === undefined ? '' : ` with \`${escapeMrkdwn(plainLine(`/sip ${options.query}`, 200).replace(/`/g, "'"))}\``;
    context.push(`Asked by <@${options.askedBy}>${q}`);
  }
  context.push(...(options.notes ?? []));
  return context;
}

/** The reply in a paste's thread: the summary, with the per-call cards behind Details when there are any. */
export function triageReply(outcome: TriageOutcome, sourceTs: string, from: string): SlackMessage {
  const context = from === 'message' ? [] : [`From ${escapeMrkdwn(plainLine(from, 200))}`];
  const details = outcome.calls.length;
  const actions: ActionsBlock | undefined =
    details === 0
      ? undefined
      : {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ACTION_DETAILS,
              text: { type: 'plain_text', text: plainLine(`Details (${details} call card${details === 1 ? '' : 's'})`, SLACK_LIMITS.buttonText) },
              // The pasted message's ts: Details reads the trace again from Slack, so no state is held for it.
              value: sourceTs,
            },
          ],
        };
  return renderCard(outcome.summary, { context, ...(actions === undefined ? {} : { actions }) });
}

/** A one-paragraph answer that is not a card: problems, confirmations. */
export function noticeMessage(text: string): SlackMessage {
  const safe = plainLine(text, SLACK_LIMITS.fallbackText);
  return { text: escapeMrkdwn(safe), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(safe) } }] };
}
