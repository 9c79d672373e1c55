import { containsSip } from '../../core/engine.js';
import { postToResponseUrl } from './response-url.js';
import { channelRef, NO_STORE_TEXT, recordQuery, recordTriage, settingsFor, type SlackDeps } from './slack-deps.js';
import { answerMessage, noticeMessage } from './slack-messages.js';
import { renderCard, type SlackMessage } from './render-blocks.js';
import { uploadLadder } from './ladder-upload.js';
import { shareCarrierButton, withShareButton } from './share-button.js';

/** The fields of a slash-command payload the /sip command reads. */
export interface SipCommand {
  readonly text: string;
  readonly user_id: string;
  readonly channel_id: string;
  readonly team_id?: string;
  readonly response_url: string;
}

export type SipRequest =
  | { readonly kind: 'auto'; readonly value: 'on' | 'off' | undefined }
  | { readonly kind: 'query'; readonly query: string; readonly public: boolean };

/** "/sip 503 public" → the 503 card for everyone; "/sip auto off" → a channel setting. */
export function parseSipCommand(text: string): SipRequest {
  const t = text.trim();
  const auto = /^auto(?:\s+(on|off))?$/i.exec(t);
  if (auto !== null) return { kind: 'auto', value: auto[1]?.toLowerCase() as 'on' | 'off' | undefined };
  const pub = /^(.*?)\s+public$/is.exec(t);
  return pub === null ? { kind: 'query', query: t, public: false } : { kind: 'query', query: (pub[1] ?? '').trim(), public: true };
}

/** Call cards sent after a triage summary from /sip: response_url takes five posts, one went to the summary. */
const MAX_CALL_CARDS = 3;

/**
 * Answers /sip after the ack: the card ephemerally with a Share button, or for the channel with `public`;
 * bad input gets the usage card, always ephemerally. A trace typed after /sip is triaged.
 */
export async function answerSipCommand(deps: SlackDeps, command: SipCommand): Promise<void> {
  const respond = (body: object): Promise<void> => postToResponseUrl(command.response_url, body);
  const request = parseSipCommand(command.text);
  const ref = channelRef(command.team_id, command.channel_id);
  if (request.kind === 'auto') {
    await respond({ response_type: 'ephemeral', ...(await autoSetting(deps, ref, request.value)) });
    return;
  }
  if (containsSip(request.query)) {
    const outcome = await deps.triage.run({ kind: 'text', text: request.query });
    const visibility = request.public ? 'in_channel' : 'ephemeral';
    // Only a public answer gets the ladder and the share button: a private answer has no thread to post files into.
    const shareId =
      request.public && outcome.ladder !== undefined ? deps.held.hold({ input: { kind: 'text', text: request.query }, source: undefined, scope: command.channel_id }) : undefined;
    const summary = answerMessage(outcome.summary, request.public ? { askedBy: command.user_id } : {});
    await respond({ response_type: visibility, ...(shareId === undefined ? summary : withShareButton(summary, shareCarrierButton(shareId, deps.engine.options.redact))) });
    for (const card of outcome.calls.slice(0, MAX_CALL_CARDS)) await respond({ response_type: visibility, ...renderCard(card) });
    await recordTriage(deps, ref, outcome);
    if (request.public && outcome.ladder !== undefined) await uploadLadder(deps, { channel: command.channel_id, threadTs: undefined }, outcome.ladder);
    return;
  }
  const card = deps.engine.explain(request.query);
  const bad = card.kind === 'usage';
  const message: SlackMessage = bad
    ? answerMessage(card, {})
    : request.public
      ? answerMessage(card, { askedBy: command.user_id, query: request.query })
      : answerMessage(card, { share: request.query });
  await respond({ response_type: request.public && !bad ? 'in_channel' : 'ephemeral', ...message });
  await recordQuery(deps, card.kind);
}

async function autoSetting(deps: SlackDeps, ref: ReturnType<typeof channelRef>, value: 'on' | 'off' | undefined): Promise<SlackMessage> {
  if (deps.store === undefined) return noticeMessage(NO_STORE_TEXT);
  if (value === undefined) {
    const on = (await settingsFor(deps, ref)).autoTriage;
    return noticeMessage(`Automatic triage of pasted traces is ${on ? 'on' : 'off'} in this channel. Change it with /sip auto ${on ? 'off' : 'on'}.`);
  }
  try {
    const settings = await deps.store.updateChannelSettings(ref, { autoTriage: value === 'on' });
    return noticeMessage(
      settings.autoTriage
        ? 'Automatic triage is on in this channel: pasted SIP traces get a reply in their thread.'
        : 'Automatic triage is off in this channel. The Triage SIP trace shortcut and @siptriage mentions still work.',
    );
  } catch (err) {
    deps.log.error({ err }, 'could not save the channel setting');
    return noticeMessage('The setting could not be saved: the store is not answering. Try again in a moment.');
  }
}
