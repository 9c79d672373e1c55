import { HeldByToken, type HeldOptions } from '../held-by-token.js';
import { CUSTOM_ID } from './commands.js';
import { DISCORD_LIMITS as L } from './limits.js';

/** What a button does with its query: ask it (a card's follow-up), or post its answer for everyone (Share). */
export type QueryButton = 'query' | 'share';

// A button whose query does not fit its custom id carries one of these and a token instead.
const LITERAL: Readonly<Record<QueryButton, string>> = { query: CUSTOM_ID.query, share: CUSTOM_ID.share };
const HELD: Readonly<Record<QueryButton, string>> = { query: CUSTOM_ID.heldQuery, share: CUSTOM_ID.heldShare };

export const HELD_QUERIES_DEFAULTS = {
  // Queries are short (a kept call's Call-ID is cut at 255 characters): 10,000 of them stay under a few MB.
  maxItems: 10_000,
  maxBytes: 8 * 1024 * 1024,
  ttlMs: 24 * 60 * 60 * 1000,
  now: () => Date.now(),
} as const satisfies Required<HeldOptions>;

/**
 * The short answer to a click on a button whose query is no longer held. Held in the memory of the process
 * that drew the button: after a restart, or when another replica receives the click, the token opens nothing
 * there either, so the answer says to run the command again rather than showing an error or another call.
 */
export const BUTTON_EXPIRED = 'This button has expired: run /sip calls again (or the /sip command that showed it).';

/**
 * The queries behind Discord buttons that do not fit a 100-character custom id: "calls open" with a
 * Teams, Cisco or BroadWorks Call-ID runs past it. Cutting the query would ask something else (open the wrong
 * call, or none), so the button carries a random token for the whole query instead.
 */
export class HeldQueries {
  readonly #held: HeldByToken<string>;

  constructor(options: Partial<HeldOptions> = {}) {
    this.#held = new HeldByToken({ ...HELD_QUERIES_DEFAULTS, ...options });
  }

  /** The custom id of a button asking `query`: the query itself when it fits, else a held token; none if not held. */
  customId(kind: QueryButton, query: string): string | undefined {
    const literal = literalCustomId(kind, query);
    if (literal !== undefined) return literal;
    const token = this.#held.hold(query, query.length * 2);
    return token === undefined ? undefined : `${HELD[kind]}${token}`;
  }

  /** The query a clicked button asks, or undefined when its token is no longer held. */
  queryOf(kind: QueryButton, customId: string): string | undefined {
    if (customId.startsWith(LITERAL[kind])) return customId.slice(LITERAL[kind].length);
    return customId.startsWith(HELD[kind]) ? this.#held.get(customId.slice(HELD[kind].length)) : undefined;
  }

  get size(): number {
    return this.#held.size;
  }
}

/** The custom id that carries the query itself, when it fits in Discord's 100 characters. */
export function literalCustomId(kind: QueryButton, query: string): string | undefined {
  const id = `${LITERAL[kind]}${query}`;
  return id.length <= L.customId ? id : undefined;
}
