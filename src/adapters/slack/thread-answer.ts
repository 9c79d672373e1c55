import { createHash } from 'node:crypto';
import { channelRef, recordTriage, type SlackDeps } from './slack-deps.js';
import { noticeMessage, triageReply } from './slack-messages.js';
import type { SlackMessage } from './render-blocks.js';
import { SlackError, slackErrorCode } from './slack-error.js';
import { OVER_BUDGET_MESSAGE, TRIAGE_OVER_BUDGET, type TriageOutcome } from '../../ports/triage-runner.js';
import { intakeMessage, type Intake, type MessageContent, type SlackFile } from './trace-intake.js';
import { uploadLadder } from './ladder-upload.js';
import { shareCarrierButtons, withShareButton } from './share-button.js';

/** A message to triage, wherever it came from: a paste, an edit, a shortcut, a mention. */
export interface SourceMessage {
  readonly team: string | undefined;
  readonly channel: string;
  readonly ts: string;
  /** Set when the message is itself a reply: the answer goes into that thread. */
  readonly threadTs: string | undefined;
  readonly content: MessageContent;
}

export type ThreadAnswer =
  | { readonly kind: 'ignored' }
  | { readonly kind: 'answered'; readonly ts: string; readonly updated: boolean };

/**
 * 'auto' is a paste seen in a channel: anything that is not a trace is ignored silently. 'demand' is a
 * shortcut or a mention: the person asked, so "no SIP here" is an answer too (returned as ignored, the
 * caller says it privately).
 */
export type TriageMode = 'auto' | 'demand';

const NO_LONGER_SIP = 'This message no longer holds a SIP trace, so the triage that was here was withdrawn.';

/** Triages a message and answers in its thread, updating the earlier answer when there is one. */
export function answerInThread(deps: SlackDeps, source: SourceMessage, mode: TriageMode): Promise<ThreadAnswer> {
  return deps.replies.serialize(source.channel, source.ts, async () => {
    let intake: Intake;
    try {
      intake = await intakeMessage({ ...deps, admitCapture: () => deps.triage.admitCapture?.()}, source.content);
    } catch (err) {
      if (!(err instanceof SlackError)) throw err;
      // A file Slack would not hand over (missing files:read, deleted meanwhile): say so where the paste is.
      deps.log.warn({ err }, 'shared file not read');
      return place(deps, source, noticeMessage(`siptriage could not fetch the shared file (${slackErrorCode(err.cause) ?? err.message}).`));
    }
    const existing = deps.replies.get(source.channel, source.ts);
    if (intake.kind === 'none') {
      if (existing === undefined) return { kind: 'ignored' };
      return place(deps, source, noticeMessage(NO_LONGER_SIP));
    }
    if (intake.kind === 'problem') return place(deps, source, noticeMessage(intake.message));
    let outcome: TriageOutcome;
    try {
      outcome = await deps.triage.run(intake.input);
    } catch (err) {
      if ((err as { code?: unknown }).code !== TRIAGE_OVER_BUDGET) throw err;
      deps.log.warn({ err }, 'triage over its memory budget');
      return place(deps, source, noticeMessage(OVER_BUDGET_MESSAGE));
    } finally {
      // The bytes may still be held for Share with carrier; the place is for the reading, which is over.
      intake.release?.();
    }
    // A capture with no SIP in it is somebody else's file, not a question for us.
    if (outcome.messages === 0 && intake.capture && mode === 'auto' && existing === undefined) return { kind: 'ignored' };
    // A failing call gets its ladder in the thread and a Share with carrier button, which needs the trace held.
    const shareId = outcome.ladder === undefined ? undefined : deps.held.hold({ input: intake.input, source: intake.from === 'message' ? undefined : intake.from, scope: source.channel });
    const reply = triageReply(outcome, source.ts, intake.from);
    const answer = await place(deps, source, shareId === undefined ? reply : withShareButton(reply, shareCarrierButtons(shareId, deps.engine.options.redact)));
    await recordTriage(deps, channelRef(source.team, source.channel), outcome);
    // Drawn after the text is out, once per call flow: an edit that changes the flow gets a new picture, an
    // edit of the words around the trace does not post the same one again.
    const drawn = outcome.ladder === undefined ? '' : createHash('sha256').update(outcome.ladder.svg).digest('base64url').slice(0, 16);
    if (outcome.ladder !== undefined && answer.kind === 'answered' && deps.seen.first(`ladder:${source.channel}:${source.ts}:${drawn}`)) {
      await uploadLadder(deps, { channel: source.channel, threadTs: source.threadTs ?? source.ts }, outcome.ladder);
    }
    return answer;
  });
}

/** Posts the answer in the thread, or edits the one already there. */
async function place(deps: SlackDeps, source: SourceMessage, message: SlackMessage): Promise<ThreadAnswer> {
  const existing = deps.replies.get(source.channel, source.ts);
  if (existing !== undefined) {
    await deps.client.chat.update({ channel: existing.channel, ts: existing.ts, text: message.text, blocks: message.blocks });
    return { kind: 'answered', ts: existing.ts, updated: true };
  }
  const res = await deps.client.chat.postMessage({
    channel: source.channel,
    thread_ts: source.threadTs ?? source.ts,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  const ts = res.ts ?? '';
  deps.replies.set(source.channel, source.ts, { channel: source.channel, ts });
  return { kind: 'answered', ts, updated: false };
}

/** Reads the text and files of a message payload (event, shortcut or API result) defensively. */
export function contentOf(message: Record<string, unknown>): MessageContent {
  const text = typeof message['text'] === 'string' ? message['text'] : '';
  const files = Array.isArray(message['files']) ? message['files'].filter(isFile) : [];
  return { text, files };
}

function isFile(f: unknown): f is SlackFile {
  return typeof f === 'object' && f !== null && typeof (f as { id?: unknown }).id === 'string';
}
