import type { Logger } from '../../ports/logger.js';
import type { Metrics } from '../../ports/metrics.js';
import type { TriageOutcome, TriageRunner } from '../../ports/triage-runner.js';
import type { Engine } from '../../core/engine.js';
import type { ChannelCommands } from '../../commands/channel-commands.js';
import type { ChannelRef, ChatPoster } from '../../core/chat-port.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings, type Store } from '../../ports/store.js';
import type { HeldTraces } from '../held-traces.js';
import type { ReplyMap, SeenEvents } from './reply-map.js';
import type { IntakeDeps } from './trace-intake.js';

/** Everything the Slack handlers share, made once in start-slack.ts. */
export interface SlackDeps extends IntakeDeps {
  readonly engine: Engine;
  readonly triage: TriageRunner;
  readonly store: Store | undefined;
  readonly log: Logger;
  /** /sip alerts, stats, digest and auto: answered by the module every surface shares. */
  readonly commands: ChannelCommands;
  readonly metrics: Metrics | undefined;
  /** Posts as the bot (cards with an image: /sip digest now public). */
  readonly poster: ChatPoster;
  readonly botUserId: string;
  readonly botId: string | undefined;
  readonly replies: ReplyMap;
  readonly seen: SeenEvents;
  /** Triaged traces behind "Share with carrier" buttons. */
  readonly held: HeldTraces;
  /** Background work started after an ack; stop() waits for it. */
  track(work: Promise<unknown>): void;
}

export function channelRef(team: string | undefined, channel: string): ChannelRef {
  return { platform: 'slack', workspace: team ?? '', channel };
}

/** The channel's settings; without a store, or when it fails, the defaults (automatic triage on). */
export async function settingsFor(deps: SlackDeps, ref: ChannelRef): Promise<ChannelSettings> {
  if (deps.store === undefined) return DEFAULT_CHANNEL_SETTINGS;
  try {
    return await deps.store.channelSettings(ref);
  } catch (err) {
    deps.log.warn({ err }, 'channel settings unavailable, using defaults');
    return DEFAULT_CHANNEL_SETTINGS;
  }
}

/** Counts an answered query; a store fault is logged and never costs the user the answer. */
export async function recordQuery(deps: SlackDeps, kind: string): Promise<void> {
  if (deps.store === undefined) return;
  try {
    await deps.store.recordQuery({ time: Date.now(), surface: 'slack', kind });
  } catch (err) {
    deps.log.warn({ err }, 'could not record the query');
  }
}

/** Records the triaged calls with where they were seen, and the triage itself as a query. */
export async function recordTriage(deps: SlackDeps, ref: ChannelRef, outcome: TriageOutcome): Promise<void> {
  if (deps.store === undefined) return;
  try {
    if (outcome.events.length > 0) {
      await deps.store.recordEvents(outcome.events.map((e) => ({ ...e, surface: 'slack', workspace: ref.workspace || null, channel: ref.channel })));
    }
    await deps.store.recordQuery({ time: Date.now(), surface: 'slack', kind: 'triage' });
  } catch (err) {
    deps.log.warn({ err }, 'could not record the triage');
  }
}
