import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { AlertsPort, ProbePort, StatsPort } from '../ports/surface.js';
import type { Card } from '../core/card/card.js';
import type { ChannelRef, OutgoingMessage } from '../core/chat-port.js';
import { SiptriageError } from '../errors/errors.js';
import { ALERTS_USAGE, type AlertsCommand } from '../core/query/alerts-query.js';
import { AUTO_USAGE, type AutoCommand } from '../core/query/auto-query.js';
import type { Query } from '../core/query/parse-query.js';
import { DIGEST_USAGE, type DigestCommand, type StatsQuery } from '../core/query/stats-query.js';
import type { Store } from '../ports/store.js';
import type { CallsCommand } from '../core/query/calls-query.js';
import { DEFAULT_REDACT, type RedactOptions } from '../core/redact.js';
import type { CallsPort } from '../ports/surface.js';
import { callsAnswer } from './calls-answer.js';
import {
  alertsOffCard,
  autoCard,
  autoWithoutStoreCard,
  badCommandCard,
  consoleAutoCard,
  consoleDigestCard,
  digestCard,
  faultCard,
  needsStoreCard,
  probesOffCard,
  statsOffCard,
} from './command-cards.js';

/** The /sip queries that belong to a channel: they read or change what siptriage keeps for it. */
export type ChannelCommand = Extract<Query, { readonly kind: 'alerts' | 'stats' | 'digest' | 'auto' | 'probe' | 'calls' }>;

export function channelCommand(query: Query): ChannelCommand | undefined {
  return query.kind === 'alerts' || query.kind === 'stats' || query.kind === 'digest' || query.kind === 'auto' || query.kind === 'probe' || query.kind === 'calls' ? query : undefined;
}

/** Where a command was typed: a chat channel, or the terminal (which shows alerts as they happen). */
export type CommandPlace = { readonly channel: ChannelRef; readonly by?: string } | { readonly console: (m: OutgoingMessage) => void };

export interface ChannelCommandDeps {
  /** The metrics label: which surface served the command. */
  readonly surface: 'slack' | 'discord' | 'console';
  readonly log: Logger;
  readonly store: Store | undefined;
  readonly alerts?: AlertsPort | undefined;
  readonly stats?: StatsPort | undefined;
  readonly metrics?: Metrics | undefined;
  readonly probes?: ProbePort | undefined;
  /** Kept calls, for `/sip calls`; undefined when none are kept. */
  readonly calls?: CallsPort | undefined;
  /** How rows of `/sip calls` show numbers and addresses (REDACT_*). */
  readonly redact?: RedactOptions | undefined;
  readonly now?: () => number;
}

export interface ChannelAnswer {
  readonly message: OutgoingMessage;
  /**
   * Set when the command changed the channel's settings: what was done, as a phrase after the person's name
   * ("turned automatic triage off in this channel"), for surfaces that tell the channel who changed it.
   */
  readonly changed?: string;
  /** Bad input, something missing, or a fault: answer it privately and offer nothing to share. */
  readonly isError: boolean;
  /**
   * A kept call opened (`/sip calls open ID`): the surface answers this trace exactly as a pasted one
   * (triage cards, ladder, Share with carrier); `message` is a one-line stand-in for surfaces that cannot.
   */
  readonly trace?: { readonly text: string; readonly name: string; readonly callIds: readonly string[] };
}

export interface ChannelCommands {
  answer(place: CommandPlace, command: ChannelCommand): Promise<ChannelAnswer>;
}

/**
 * The one place that answers the channel-scoped, stateful /sip commands (alerts, stats, digest, auto) for
 * Slack, Discord and the console alike. Each command served is counted; a store or stats fault becomes a
 * short card and a log line with the error, never a rejection the surface has to catch.
 */
export function channelCommands(deps: ChannelCommandDeps): ChannelCommands {
  const log = deps.log.child({ module: 'channel-commands' });
  return {
    async answer(place, command) {
      deps.metrics?.chatCommand(deps.surface, command.kind);
      try {
        return await route(deps, place, command);
      } catch (err) {
        const writing = changesSettings(command);
        log.error({ err, surface: deps.surface, command: command.kind }, writing ? 'could not change the channel setting' : 'could not answer the channel command');
        return answer(faultCard(writing, faultCode(err)));
      }
    },
  };
}

function route(deps: ChannelCommandDeps, place: CommandPlace, command: ChannelCommand): Promise<ChannelAnswer> {
  switch (command.kind) {
    case 'alerts':
      return alerts(deps, place, command.command);
    case 'stats':
      return stats(deps, command.query);
    case 'digest':
      return digest(deps, place, command.command);
    case 'auto':
      return auto(deps, place, command.command);
    case 'probe':
      return probe(deps, place, command.text);
    case 'calls':
      return calls(deps, command.command);
  }
}

async function calls(deps: ChannelCommandDeps, cmd: CallsCommand): Promise<ChannelAnswer> {
  const r = await callsAnswer(deps.calls, cmd, deps.redact ?? DEFAULT_REDACT, (deps.now ?? Date.now)());
  if ('card' in r) return answer(r.card);
  const legs = r.trace.callIds.length > 1 ? ` (${r.trace.callIds.length} legs)` : '';
  return { message: { text: `Kept call${legs}`, cards: [] }, isError: false, trace: r.trace };
}

async function probe(deps: ChannelCommandDeps, place: CommandPlace, text: string): Promise<ChannelAnswer> {
  if (deps.probes === undefined) return answer(probesOffCard());
  // watch, unwatch and list belong to the channel they are typed in; a one-off probe to nobody in particular.
  const r = await deps.probes.answer(text, 'console' in place ? undefined : place.channel);
  const [first] = r.cards;
  const summary = first === undefined ? '' : first.summary === '' ? first.title : `${first.title}: ${first.summary}`;
  return { message: { text: summary, cards: r.cards }, isError: r.isError, ...(r.changed === undefined ? {} : { changed: r.changed }) };
}

async function alerts(deps: ChannelCommandDeps, place: CommandPlace, cmd: AlertsCommand): Promise<ChannelAnswer> {
  if (cmd.action === 'invalid') return answer(badCommandCard('alerts', cmd.problem, ALERTS_USAGE));
  if (deps.alerts === undefined) return answer(alertsOffCard());
  const card = 'console' in place ? await deps.alerts.command(place, cmd) : await deps.alerts.command(place.channel, cmd, place.by);
  const changed = ALERT_CHANGES[cmd.action];
  return { ...answer(card), ...(changed === undefined || 'console' in place ? {} : { changed }) };
}

const ALERT_CHANGES: Partial<Record<AlertsCommand['action'], string>> = {
  subscribe: 'subscribed this channel to spike alerts',
  unsubscribe: 'turned spike alerts off in this channel',
  threshold: 'changed the spike alert threshold in this channel',
  quiet: 'changed the quiet hours for spike alerts in this channel',
};

async function stats(deps: ChannelCommandDeps, query: StatsQuery): Promise<ChannelAnswer> {
  if (deps.stats === undefined) return answer(deps.store === undefined ? needsStoreCard('Stats') : statsOffCard());
  return answer(await deps.stats.statsCard(query));
}

async function digest(deps: ChannelCommandDeps, place: CommandPlace, cmd: DigestCommand): Promise<ChannelAnswer> {
  if (cmd.action === 'invalid') return answer(badCommandCard('digest', cmd.problem, DIGEST_USAGE));
  if (cmd.action === 'preview') {
    if (deps.stats === undefined) return answer(deps.store === undefined ? needsStoreCard('Digests') : statsOffCard());
    const message = await deps.stats.digestPreview();
    return { message, isError: false };
  }
  if ('console' in place) return answer({ ...consoleDigestCard(), ...(cmd.action === 'status' ? {} : { isError: true }) });
  if (deps.store === undefined) return answer(needsStoreCard('Digest subscriptions'));
  if (cmd.action === 'status') return answer(digestCard((await deps.store.channelSettings(place.channel)).digest, false));
  const saved = await deps.store.updateChannelSettings(place.channel, { digest: cmd.action === 'subscribe' });
  return {
    ...answer(digestCard(saved.digest, true)),
    changed: saved.digest ? 'subscribed this channel to the daily digest' : 'unsubscribed this channel from the daily digest',
  };
}

async function auto(deps: ChannelCommandDeps, place: CommandPlace, cmd: AutoCommand): Promise<ChannelAnswer> {
  if (cmd.action === 'invalid') return answer(badCommandCard('auto', cmd.problem, AUTO_USAGE));
  if ('console' in place) return answer(consoleAutoCard());
  if (deps.store === undefined) return answer(autoWithoutStoreCard(cmd.action));
  if (cmd.action === 'status') return answer(autoCard((await deps.store.channelSettings(place.channel)).autoTriage, false));
  const saved = await deps.store.updateChannelSettings(place.channel, { autoTriage: cmd.action === 'on' });
  return { ...answer(autoCard(saved.autoTriage, true)), changed: `turned automatic triage ${saved.autoTriage ? 'on' : 'off'} in this channel` };
}

/**
 * Whether a command writes the channel's settings: surfaces answer those privately (and may gate them), and
 * a failure means "not saved" rather than "could not read".
 */
export function changesSettings(command: ChannelCommand): boolean {
  switch (command.kind) {
    case 'alerts':
      return ALERT_CHANGES[command.command.action] !== undefined;
    case 'digest':
      return command.command.action === 'subscribe' || command.command.action === 'unsubscribe';
    case 'auto':
      return command.command.action === 'on' || command.command.action === 'off';
    case 'probe':
      return /^\s*(watch|unwatch)\b/i.test(command.text);
    case 'stats':
    case 'calls':
      return false;
  }
}

/** A fault's stable code (STORE_UNAVAILABLE, SQLITE_BUSY, ECONNREFUSED) is worth showing; its message may not be. */
function faultCode(err: unknown): string | undefined {
  const code = err instanceof SiptriageError ? err.code : (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

function answer(card: Card): ChannelAnswer {
  return { message: { text: card.summary === '' ? card.title : `${card.title}: ${card.summary}`, cards: [card] }, isError: card.isError === true };
}
