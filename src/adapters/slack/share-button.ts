import { redactionSentence } from '../../core/share/share-summary.js';
import { Redactor } from '../../core/redact.js';
import type { ShareFile } from '../../core/share/share-bundle.js';
import type { ShareKeep } from '../../ports/triage-runner.js';
import { NO_LONGER_HELD } from '../held-traces.js';
import { ladderPng } from '../ladder-image.js';
import { SLACK_LIMITS } from './block-text.js';
import { obj, str } from './message-events.js';
import type { ActionsBlock, KnownBlock, SlackMessage } from './render-blocks.js';
import { postToResponseUrl } from './response-url.js';
import type { SlackDeps } from './slack-deps.js';
import { SlackError, slackErrorCode } from './slack-error.js';
import { noticeMessage } from './slack-messages.js';

/** The buttons' action ids (masked, and the explicit choice to keep numbers and addresses), and their block. */
export const ACTION_SHARE_CARRIER = 'sip_share_carrier';
export const ACTION_SHARE_CARRIER_KEEP = 'sip_share_carrier_keep';
const SHARE_BLOCK_ID = 'sip_share_carrier_block';
const SHARE_ACTIONS = new Set([ACTION_SHARE_CARRIER, ACTION_SHARE_CARRIER_KEEP]);

type Payload = Record<string, unknown>;
type Button = ActionsBlock['elements'][number];

// Files of the bundle posted into the thread; ladder.txt and ladder.svg say the same as the PNG and Mermaid.
const POSTED_FILES = new Set(['summary.md', 'trace.txt', 'call.pcap', 'ladder.mmd']);

/**
 * "Share with carrier", asking first: the files go into the thread, where everyone in the channel sees them,
 * and on to a carrier, so numbers and addresses are masked as the CLI masks them. Keeping them is a second
 * button with its own confirmation, offered only where REDACT_* do not mask them in every answer anyway.
 */
export function shareCarrierButtons(id: string, redact: { readonly numbers: boolean; readonly addresses: boolean }): Button[] {
  const masked = confirmedButton(ACTION_SHARE_CARRIER, 'Share with carrier', id, {
    title: 'Post a share bundle?',
    // Confirm dialog text is limited to 300 characters.
    text:
      'The redacted trace (text and pcap), the call-flow ladder (PNG and Mermaid) and a failure summary go into this thread, to forward to your carrier or vendor. ' +
      'Credentials are removed; phone numbers and IP addresses are masked.',
    confirm: 'Post it',
  });
  if (redact.numbers && redact.addresses) return [masked];
  const kept = [redact.numbers ? undefined : 'phone numbers', redact.addresses ? undefined : 'IP addresses'].filter((x) => x !== undefined).join(' and ');
  const keep = confirmedButton(ACTION_SHARE_CARRIER_KEEP, 'Share unmasked', id, {
    title: 'Keep numbers and addresses?',
    text: `The same bundle, but ${kept} are kept as they are in the trace, for a carrier that needs them to find the call. Credentials are still removed. Everyone in this channel sees the files.`,
    confirm: 'Post unmasked',
    danger: true,
  });
  return [masked, keep];
}

/** The message with the share buttons in a block of their own, within Slack's 50 blocks. */
export function withShareButton(message: SlackMessage, buttons: readonly Button[]): SlackMessage {
  const blocks = [...message.blocks];
  if (blocks.length >= SLACK_LIMITS.blocks) blocks.splice(SLACK_LIMITS.blocks - 1);
  blocks.push({ type: 'actions', block_id: SHARE_BLOCK_ID, elements: [...buttons] });
  return { text: message.text, blocks };
}

/** The share buttons of a posted message's blocks, as a block of their own: Details replaces the message's buttons. */
export function keptShareButton(blocks: unknown): KnownBlock | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks as Payload[]) {
    if (b['type'] !== 'actions' || !Array.isArray(b['elements'])) continue;
    const buttons = (b['elements'] as Payload[]).filter((e) => SHARE_ACTIONS.has(String(e['action_id'])));
    if (buttons.length > 0) return { type: 'actions', block_id: SHARE_BLOCK_ID, elements: buttons as unknown as Button[] };
  }
  return undefined;
}

/** "Share unmasked", after its own confirmation: the same bundle with numbers and addresses kept. */
export function onShareUnmasked(deps: SlackDeps, body: Payload, id: string): Promise<void> {
  return onShareWithCarrier(deps, body, id, { numbers: true, addresses: true });
}

/**
 * The click: the held trace is triaged again into a share bundle (off the event loop), the ladder drawn, and
 * the summary, redacted trace (text and pcap), ladder PNG and Mermaid uploaded into the answer's thread in one
 * upload. An id that is no longer held gets a short private answer.
 */
export async function onShareWithCarrier(deps: SlackDeps, body: Payload, id: string, keep: ShareKeep = {}): Promise<void> {
  const channel = str(obj(body['channel'])['id']);
  const user = str(obj(body['user'])['id']);
  const message = obj(body['message']);
  const container = obj(body['container']);
  const threadTs = str(message['thread_ts']) ?? str(container['thread_ts']) ?? str(message['ts']) ?? str(container['message_ts']);
  const url = str(body['response_url']);
  if (channel === undefined || user === undefined) return;
  const tell = async (text: string): Promise<void> => {
    if (url !== undefined) await postToResponseUrl(url, { response_type: 'ephemeral', replace_original: false, ...noticeMessage(text) });
    else await deps.client.chat.postEphemeral({ channel, user, ...(threadTs === undefined ? {} : { thread_ts: threadTs }), ...noticeMessage(text) });
  };
  const held = deps.held.get(id, channel);
  if (held === undefined) {
    await tell(NO_LONGER_HELD);
    return;
  }
  // A double click while the first bundle is being built must not post it twice.
  if (!deps.held.begin(id)) return;
  try {
    const bundle = await deps.triage.share(held.input, held.source, keep);
    const files: ShareFile[] = bundle.files.filter((f) => POSTED_FILES.has(f.name));
    const svg = bundle.files.find((f) => f.name === 'ladder.svg')?.content;
    const png = typeof svg === 'string' ? await ladderPng(svg, deps.log, (s, scale) => deps.triage.rasterize(s, scale)) : undefined;
    if (png !== undefined) files.splice(files.findIndex((f) => f.name === 'ladder.mmd'), 0, { name: 'ladder.png', mediaType: 'image/png', content: png });
    const comment =
      `Share bundle for the carrier, requested by <@${user}>: ${files.map((f) => f.name).join(', ')}. ` +
      `Redaction: ${redactionSentence(new Redactor(bundle.redaction))}.`;
    const uploads = files.map((f) => ({ file: Buffer.from(f.content), filename: f.name, title: f.name }));
    try {
      if (threadTs === undefined) await deps.client.filesUploadV2({ channel_id: channel, initial_comment: comment, file_uploads: uploads });
      else await deps.client.filesUploadV2({ channel_id: channel, thread_ts: threadTs, initial_comment: comment, file_uploads: uploads });
    } catch (err) {
      const code = slackErrorCode(err);
      deps.log.warn({ err: new SlackError('SLACK_API_FAILED', `share bundle upload failed: ${code ?? 'Slack not reachable'}`, { cause: err }) }, 'share bundle not uploaded');
      await tell(`The share bundle could not be uploaded${code === undefined ? '' : ` (${code})`}. siptriage share FILE builds the same bundle from the command line.`);
    }
  } finally {
    deps.held.end(id);
  }
}

/** A button that asks first. The value is a short id into the held traces: the trace itself never travels in a button. */
function confirmedButton(actionId: string, label: string, id: string, ask: { readonly title: string; readonly text: string; readonly confirm: string; readonly danger?: boolean }): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    value: id,
    confirm: {
      title: { type: 'plain_text', text: ask.title },
      text: { type: 'plain_text', text: ask.text },
      confirm: { type: 'plain_text', text: ask.confirm },
      deny: { type: 'plain_text', text: 'Cancel' },
      ...(ask.danger === true ? { style: 'danger' as const } : {}),
    },
  };
}
