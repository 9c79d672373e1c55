import { SiptriageError } from '../../errors/errors.js';

/** A fault talking to Discord: the API refused a call, an attachment could not be fetched. */
export class DiscordError extends SiptriageError {
  constructor(code: 'DISCORD_API' | 'DISCORD_ATTACHMENT' | 'DISCORD_LOGIN', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
