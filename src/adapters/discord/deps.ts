import type { Logger } from '../../ports/logger.js';
import type { Metrics } from '../../ports/metrics.js';
import type { TriageRunner } from '../../ports/triage-runner.js';
import type { ChannelCommands } from '../../commands/channel-commands.js';
import type { Engine } from '../../core/engine.js';
import type { Store } from '../../ports/store.js';
import type { HeldTraces } from '../held-traces.js';
import type { HeldQueries } from './held-queries.js';
import type { Recorder } from './record.js';

/** What every Discord handler works with; built once by startDiscord. */
export interface DiscordDeps {
  readonly engine: Engine;
  /** Triage, share bundles and ladder PNGs run here, off the thread that acknowledges interactions within 3 s. */
  readonly triage: TriageRunner;
  readonly store: Store | undefined;
  readonly log: Logger;
  readonly recorder: Recorder;
  /** /sip alerts, stats, digest and auto: answered by the module every surface shares. */
  readonly commands: ChannelCommands;
  readonly metrics: Metrics | undefined;
  /** DISCORD_AUTO_TRIAGE: the service asked for message events (and the Message Content intent). */
  readonly autoTriage: boolean;
  /** Origins attachments are downloaded from. */
  readonly attachmentOrigins: readonly string[];
  /** Triaged traces behind "Share with carrier" buttons. */
  readonly held: HeldTraces;
  /** Queries of buttons too long for a custom id ("calls open" with a long Call-ID), behind tokens. */
  readonly queries: HeldQueries;
}
