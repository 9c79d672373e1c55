import type { ChannelRef, ChatPoster, OutgoingMessage } from '../core/chat-port.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import { parseHours, type AlertConfig } from './alert-config.js';
import { refId, type AlertSettingsPort } from './alert-settings.js';
import { ChannelPacer, type AlertTarget } from './channel-pacer.js';
import { inQuietHours } from './spike-rule.js';

export interface StateAlertsOptions {
  readonly config: Pick<AlertConfig, 'quietHours' | 'timeZone'>;
  readonly settings: Pick<AlertSettingsPort, 'channelSettings' | 'subscribers'>;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly pacerIntervalMs?: number;
  /** A first post went out, so that another replica can edit it later. */
  readonly onPosted?: (alertKey: string, destination: string, messageId: string) => void;
}

/**
 * Alerts about something that is either wrong or fine (a probed target down, registrations collapsing),
 * posted the way spike alerts are: one message per channel when it goes wrong, edited while it lasts, and
 * on recovery a last edit plus a short reply under it. Quiet hours (the channel's, or ALERT_QUIET_HOURS)
 * hold back a new post, never an edit of one already out.
 */
export class StateAlerts {
  readonly #o: StateAlertsOptions;
  readonly #pacer: ChannelPacer;
  readonly #posters = new Map<ChannelRef['platform'], ChatPoster>();
  /** Destinations each open alert has been posted to (or is queued for). */
  readonly #open = new Map<string, Set<string>>();
  /** The content last sent per alert and channel: a round that changes nothing sends nothing. */
  readonly #shown = new Map<string, string>();

  constructor(options: StateAlertsOptions) {
    this.#o = options;
    this.#pacer = new ChannelPacer({
      intervalMs: options.pacerIntervalMs ?? 1000,
      onSent: (action) => options.metrics?.alertPosted(action),
      onPosted: (target, key, id) => options.onPosted?.(key, target, id),
      onError: (err, target, key) => {
        options.metrics?.alertPosted('failed');
        options.log.warn({ err, target, key }, 'could not post or update an alert');
      },
    });
  }

  attachPoster(poster: ChatPoster): void {
    this.#posters.set(poster.platform, poster);
  }

  /** The channels subscribed to alerts (`/sip alerts on`): where alerts about configured things go. */
  async subscribers(): Promise<ChannelRef[]> {
    try {
      return await this.#o.settings.subscribers('alerts');
    } catch (err) {
      this.#o.log.warn({ err }, 'could not read alert subscribers');
      return [];
    }
  }

  /**
   * Shows an open alert in each channel: edits where it is already posted (`known`: message ids from the
   * store), posts where it is not unless the channel is in its quiet hours. Returns the channels something was sent to.
   */
  async show(key: string, channels: readonly ChannelRef[], message: OutgoingMessage, now: number, known: Readonly<Record<string, string>> = {}): Promise<string[]> {
    let open = this.#open.get(key);
    if (open === undefined) this.#open.set(key, (open = new Set()));
    const sent: string[] = [];
    for (const ref of channels) {
      const target = this.#target(ref);
      if (target === undefined) continue;
      const id = known[target.id];
      if (id !== undefined && !this.#pacer.isPosted(target.id, key)) this.#pacer.adopt(target.id, key, id);
      if (!open.has(target.id) && id === undefined && (await this.#quiet(ref, now))) continue;
      open.add(target.id);
      const content = JSON.stringify(message);
      if (this.#shown.get(`${key}|${target.id}`) === content) continue;
      this.#shown.set(`${key}|${target.id}`, content);
      this.#pacer.send(target, key, message);
      sent.push(target.id);
    }
    return sent;
  }

  /** The alert is over: a last edit and a reply under it, in every channel it was posted to. */
  resolve(key: string, channels: readonly ChannelRef[], message: OutgoingMessage, reply: OutgoingMessage, known: Readonly<Record<string, string>> = {}): void {
    const open = this.#open.get(key) ?? new Set<string>();
    this.#open.delete(key);
    for (const ref of channels) {
      const target = this.#target(ref);
      if (target === undefined) continue;
      const id = known[target.id];
      if (id !== undefined && !this.#pacer.isPosted(target.id, key)) this.#pacer.adopt(target.id, key, id);
      // Never posted there (quiet hours, or before this channel watched): nothing to resolve.
      this.#shown.delete(`${key}|${target.id}`);
      if (!open.has(target.id) && id === undefined) continue;
      this.#pacer.send(target, key, message, reply);
      this.#pacer.forget(target.id, key);
    }
  }

  settled(): Promise<void> {
    return this.#pacer.settled();
  }

  stop(): void {
    this.#pacer.stop();
  }

  #target(ref: ChannelRef): AlertTarget | undefined {
    const poster = this.#posters.get(ref.platform);
    if (poster === undefined) return undefined;
    return {
      id: refId(ref),
      post: async (m) => (await poster.post(ref, m)).id,
      update: (id, m) => poster.update({ ref, id }, m),
      reply: async (id, m) => void (poster.reply === undefined ? await poster.post(ref, m) : await poster.reply({ ref, id }, m)),
    };
  }

  async #quiet(ref: ChannelRef, now: number): Promise<boolean> {
    const s = await this.#o.settings.channelSettings(ref).catch(() => undefined);
    const hours = s?.alertQuietHours === 'off' ? undefined : s?.alertQuietHours == null ? this.#o.config.quietHours : parseHours(s.alertQuietHours);
    return inQuietHours(now, hours, this.#o.config.timeZone);
  }
}

/** "slack:T1:C2" back into the channel it names; undefined for anything else ("config", "console"). */
export function refOf(id: string): ChannelRef | undefined {
  const m = /^(slack|discord):([^:]*):([^:]+)$/.exec(id);
  if (m === null) return undefined;
  return { platform: m[1] as ChannelRef['platform'], workspace: m[2] ?? '', channel: m[3] ?? '' };
}
