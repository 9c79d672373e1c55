import type { Logger } from '../../ports/logger.js';
import type { CallEvent } from '../../core/triage/call-events.js';
import type { Store } from '../../ports/store.js';

/** Where in Discord something was asked: guild (null in DMs) and channel. */
export interface DiscordPlace {
  readonly guild: string | null;
  readonly channel: string | null;
}

/**
 * Records answered queries and triaged calls through the store, when there is one. Recording never holds
 * up or breaks an answer: it runs after the reply is on its way and a store fault is logged, not shown.
 */
export class Recorder {
  readonly #store: Store | undefined;
  readonly #log: Logger;

  constructor(store: Store | undefined, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  query(kind: string): void {
    const store = this.#store;
    if (store === undefined) return;
    this.#settle(store.recordQuery({ time: Date.now(), surface: 'discord', kind }), 'query');
  }

  /** One triage answered, and its call events (made by the triage worker) placed in Discord. */
  triage(callEvents: readonly CallEvent[], place: DiscordPlace): void {
    const store = this.#store;
    if (store === undefined) return;
    this.#settle(store.recordQuery({ time: Date.now(), surface: 'discord', kind: 'triage' }), 'query');
    const events = callEvents.map((e) => ({ ...e, surface: 'discord' as const, workspace: place.guild, channel: place.channel }));
    if (events.length > 0) this.#settle(store.recordEvents(events), 'events');
  }

  #settle(work: Promise<unknown>, what: string): void {
    work.catch((err: unknown) => this.#log.warn({ err, what }, 'could not record to the store'));
  }
}
