import type { TriageOutcome } from '../../app/triage-pool.js';
import type { Card } from '../../core/card/card.js';
import { escapeMrkdwn, plainLine, SLACK_LIMITS } from './block-text.js';
import { renderCard, type ActionsBlock, type SlackMessage } from './render-blocks.js';

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

/** A /sip answer: ephemeral ones carry a Share button, public ones say who asked. */
export function answerMessage(card: Card, options: { readonly share?: string; readonly askedBy?: string; readonly query?: string }): SlackMessage {
  const context: string[] = [];
  if (options.askedBy !== undefined) {
    const q = options.query === undefined ? '' : ` with \`${escapeMrkdwn(plainLine(`/sip ${options.query}`, 200).replace(/`/g, "'"))}\``;
    context.push(`Asked by <@${options.askedBy}>${q}`);
  }
  if (card.kind === 'usage') context.push(...SLACK_USAGE);
  const actions: ActionsBlock | undefined =
    options.share === undefined
      ? undefined
      : {
          type: 'actions',
          elements: [{ type: 'button', action_id: ACTION_SHARE, text: { type: 'plain_text', text: 'Share in channel' }, value: options.share.slice(0, SLACK_LIMITS.buttonValue) }],
        };
  return renderCard(card, { context, ...(actions === undefined ? {} : { actions }) });
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
