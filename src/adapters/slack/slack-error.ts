import { SiptriageError } from '../../errors/errors.js';

/** A Slack platform fault: a Web API call, a response_url post or a file download that failed. */
export class SlackError extends SiptriageError {
  constructor(code: 'SLACK_API_FAILED' | 'SLACK_RESPONSE_URL_FAILED' | 'SLACK_FILE_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The Web API error code ("not_in_channel") of a failed call, when Slack gave one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
