import { answerQuery } from './answer-query.js';
import { postToResponseUrl } from './response-url.js';
import { channelRef, type SlackDeps } from './slack-deps.js';

/** The fields of a slash-command payload the /sip command reads. */
export interface SipCommand {
  readonly text: string;
  readonly user_id: string;
  readonly user_name?: string;
  readonly channel_id: string;
  readonly team_id?: string;
  readonly response_url: string;
}

export interface SipRequest {
  readonly query: string;
  readonly public: boolean;
}

/** "/sip 503 public" → the 503 card for everyone; anything else is answered only to the person who asked. */
export function parseSipCommand(text: string): SipRequest {
  const t = text.trim();
  const pub = /^(.*?)\s+public$/is.exec(t);
  return pub === null ? { query: t, public: false } : { query: (pub[1] ?? '').trim(), public: true };
}

/** Answers /sip after the ack, through the command's response_url. */
export async function answerSipCommand(deps: SlackDeps, command: SipCommand): Promise<void> {
  const request = parseSipCommand(command.text);
  await answerQuery(deps, {
    text: request.query,
    public: request.public,
    user: command.user_id,
    ...(command.user_name === undefined ? {} : { userName: command.user_name }),
    ref: channelRef(command.team_id, command.channel_id),
    respond: (body) => postToResponseUrl(command.response_url, body),
  });
}
