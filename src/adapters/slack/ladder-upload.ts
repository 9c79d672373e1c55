import type { ChatLadder } from '../../core/ladder/chat-ladder.js';
import { ladderPng } from '../ladder-image.js';
import type { SlackDeps } from './slack-deps.js';
import { SlackError, slackErrorCode } from './slack-error.js';

/** Where a file goes: a channel, and the thread in it when there is one. */
export interface UploadPlace {
  readonly channel: string;
  readonly threadTs: string | undefined;
}

// files.getUploadURLExternal documents alt_text up to 1000 characters.
const MAX_ALT = 1000;

/**
 * Draws the failing calls' ladder and uploads it into the triage thread. Runs after the text answer is posted
 * (and long after the ack): a PNG takes tens of milliseconds to draw. Slack's upload flow is
 * files.getUploadURLExternal → POST the bytes to the upload URL → files.completeUploadExternal with the channel
 * and thread (files.upload is retired); the Web API client's filesUploadV2 makes those three calls, retrying 429s.
 * A failure is one log line: the text answer stands.
 */
export async function uploadLadder(deps: SlackDeps, place: UploadPlace, ladder: ChatLadder): Promise<boolean> {
  // Drawn on a triage worker: resvg holds a CPU for tens to hundreds of ms, and this thread acks Slack.
  const png = await ladderPng(ladder.svg, deps.log, (svg, scale) => deps.triage.rasterize(svg, scale));
  if (png === undefined) return false;
  try {
    const file = {
      file: Buffer.from(png),
      filename: 'ladder.png',
      title: ladder.calls === 1 ? 'Call flow' : `Call flow (${ladder.calls} failing calls)`,
      alt_text: ladder.alt.slice(0, MAX_ALT),
    };
    if (place.threadTs === undefined) await deps.client.filesUploadV2({ ...file, channel_id: place.channel });
    else await deps.client.filesUploadV2({ ...file, channel_id: place.channel, thread_ts: place.threadTs });
    return true;
  } catch (err) {
    deps.log.warn({ err: new SlackError('SLACK_API_FAILED', `ladder upload failed: ${slackErrorCode(err) ?? 'Slack not reachable'}`, { cause: err }) }, 'ladder image not uploaded; the text answer stands');
    return false;
  }
}
