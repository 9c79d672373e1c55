import { parseHours, type AlertConfig } from './alert-config.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Card } from '../core/card/card.js';
import type { ChannelRef, ChatPoster, OutgoingMessage } from '../core/chat-port.js';
import type { AlertsCommand } from '../core/query/alerts-query.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { ChannelSettings } from '../ports/store.js';
import { alertMessage } from './alert-card.js';
import { refId, type AlertSettingsPort } from './alert-settings.js';
import { alertsCard, settingsPatch } from './alerts-command.js';
import { Baselines, type HistorySource } from './baselines.js';
import { ChannelPacer, type AlertTarget } from './channel-pacer.js';
import { RecentFailures } from './recent-failures.js';
import { spikeKeys } from './spike-keys.js';
import { inQuietHours, isResolved, isSpike, type Thresholds } from './spike-rule.js';
import { WindowCounts } from './window-counts.js';

export interface AlertServiceOptions {
  readonly config: AlertConfig;
  readonly kb: KnowledgeBase;
  readonly log: Logger;
  readonly settings: AlertSettingsPort;
  /** Whether settings survive a restart (they live in a store). */
  readonly persistent: boolean;
  readonly history?: HistorySource;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  readonly evaluateEveryMs?: number;
  readonly pacerIntervalMs?: number;
}

interface Active {
  readonly since: number;
  peak: number;
  shown: number;
}

interface Subscriber {
  readonly target: AlertTarget;
  readonly thresholds: Thresholds;
  readonly quiet: { from: number; to: number } | undefined;
}

const CONSOLE = 'console';

/**
 * Spike alerts: failures counted per code, class and peer over a sliding window, compared with what is usual
 * (Baselines), and posted once per subscribed channel, then edited as the counts change and marked resolved
 * when the rate is back to normal. Works from in-memory counts; a store adds same-hour history and keeps
 * subscriptions across restarts.
 */
export class AlertService {
  readonly #o: AlertServiceOptions;
  readonly #now: () => number;
  readonly #counts: WindowCounts;
  readonly #recent: RecentFailures;
  readonly #baselines: Baselines;
  readonly #pacer: ChannelPacer;
  readonly #posters = new Map<ChannelRef['platform'], ChatPoster>();
  readonly #active = new Map<string, Map<string, Active>>();
  readonly #started: number;
  #console: { write: (m: OutgoingMessage) => void; settings: ChannelSettings } | undefined;
  #lastRoll: number;
  #timer: NodeJS.Timeout | undefined;
  #evaluating: Promise<void> | undefined;

  constructor(options: AlertServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#counts = new WindowCounts(options.config.windowMs);
    this.#recent = new RecentFailures(options.config.windowMs);
    this.#baselines = new Baselines(options.config.windowMs, options.history);
    this.#pacer = new ChannelPacer({
      intervalMs: options.pacerIntervalMs ?? 1000,
      onSent: (action) => options.metrics?.alertPosted(action),
      onError: (err, target, key) => {
        options.metrics?.alertPosted('failed');
        options.log.warn({ err, target, key }, 'could not post or update a spike alert');
      },
    });
    this.#started = this.#now();
    this.#lastRoll = this.#started;
  }

  /** A recorded call event. Only failures count; events older than the window (imports) do not. */
  observe(e: CallEvent): void {
    const now = this.#now();
    if (e.kind !== 'failure' || e.time < now - this.#o.config.windowMs) return;
    for (const key of spikeKeys(e)) this.#counts.add(key, now);
    this.#recent.add(now, e.code, e.peer);
  }

  attachPoster(poster: ChatPoster): void {
    this.#posters.set(poster.platform, poster);
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.evaluate().catch((err: unknown) => this.#o.log.error({ err }, 'spike alert evaluation failed'));
    }, this.#o.evaluateEveryMs ?? 15_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#evaluating;
    this.#pacer.stop();
  }

  /** Settles when every alert message decided so far has been sent. */
  settled(): Promise<void> {
    return this.#pacer.settled();
  }

  /** `/sip alerts …` from a chat channel, or from the console (which shows alerts in the terminal). */
  async command(where: ChannelRef | { readonly console: (m: OutgoingMessage) => void }, cmd: AlertsCommand): Promise<Card> {
    const patch = settingsPatch(cmd);
    let settings: ChannelSettings;
    if ('console' in where) {
      this.#console ??= { write: where.console, settings: { autoTriage: true, digest: false, alerts: false } };
      if (patch !== undefined) this.#console.settings = { ...this.#console.settings, ...patch };
      settings = this.#console.settings;
    } else {
      settings = patch === undefined ? await this.#o.settings.channelSettings(where) : await this.#o.settings.updateChannelSettings(where, patch);
    }
    const id = 'console' in where ? CONSOLE : refId(where);
    if (!settings.alerts) this.#active.delete(id);
    return alertsCard(cmd, {
      subscribed: settings.alerts,
      thresholds: this.#thresholds(settings),
      quietHours: this.#quiet(settings),
      timeZone: this.#o.config.timeZone,
      windowMs: this.#o.config.windowMs,
      persistent: this.#o.persistent || 'console' in where,
      baseline: this.#baselines.fromHistory ? 'history' : 'ewma',
      active: [...(this.#active.get(id)?.keys() ?? this.#spikingNow())],
    });
  }

  /** One evaluation round; runs on a timer, and tests call it directly. */
  evaluate(): Promise<void> {
    this.#evaluating ??= this.#evaluate().finally(() => (this.#evaluating = undefined));
    return this.#evaluating;
  }

  async #evaluate(): Promise<void> {
    const now = this.#now();
    const { windowMs } = this.#o.config;
    try {
      await this.#baselines.refresh(now);
    } catch (err) {
      this.#o.log.warn({ err }, 'could not read alert history from the store; using recent averages');
    }
    const warm = this.#baselines.fromHistory || now - this.#started >= windowMs;
    for (const sub of await this.#subscribers()) {
      let actives = this.#active.get(sub.target.id);
      if (actives === undefined) this.#active.set(sub.target.id, (actives = new Map()));
      const quiet = inQuietHours(now, sub.quiet, this.#o.config.timeZone);
      for (const key of new Set([...this.#counts.keys(), ...actives.keys()])) {
        const count = this.#counts.count(key, now);
        const usual = this.#baselines.usual(key);
        const active = actives.get(key);
        if (active === undefined) {
          if (!warm || quiet || !isSpike(count, usual.value, sub.thresholds)) continue;
          actives.set(key, { since: now, peak: count, shown: count });
          this.#send(sub.target, key, count, usual, { since: now, peak: count }, 'active', now);
          continue;
        }
        active.peak = Math.max(active.peak, count);
        if (isResolved(count, usual.value, sub.thresholds)) {
          actives.delete(key);
          this.#send(sub.target, key, count, usual, active, 'resolved', now);
          this.#pacer.forget(sub.target.id, key);
        } else if (count !== active.shown) {
          active.shown = count;
          this.#send(sub.target, key, count, usual, active, 'active', now);
        }
      }
    }
    // Fold the window into the usual rate after judging it, leaving out keys that are spiking, so that a
    // spike neither hides itself nor becomes the norm.
    const activeKeys = new Set([...this.#active.values()].flatMap((m) => [...m.keys()]));
    if (now - this.#lastRoll >= windowMs) {
      const counts = new Map([...this.#counts.keys()].map((k) => [k, this.#counts.count(k, now)]));
      const spiking = new Set([...activeKeys, ...this.#spikingNow()]);
      this.#baselines.roll(counts, spiking);
      this.#lastRoll = now;
    }
    this.#counts.prune(now, activeKeys);
  }

  #send(target: AlertTarget, key: string, count: number, usual: ReturnType<Baselines['usual']>, a: { since: number; peak: number }, state: 'active' | 'resolved', now: number): void {
    const message = alertMessage(this.#o.kb, { key, count, usual, peak: a.peak, since: a.since, windowMs: this.#o.config.windowMs, state, now, breakdown: this.#recent.breakdown(key, now) });
    this.#pacer.send(target, key, message);
  }

  async #subscribers(): Promise<Subscriber[]> {
    const out: Subscriber[] = [];
    if (this.#console?.settings.alerts === true) {
      const write = this.#console.write;
      let n = 0;
      const target: AlertTarget = { id: CONSOLE, post: async (m) => (write(m), String(++n)), update: async (_id, m) => write(m) };
      out.push({ target, thresholds: this.#thresholds(this.#console.settings), quiet: this.#quiet(this.#console.settings) });
    }
    let refs: ChannelRef[] = [];
    try {
      refs = await this.#o.settings.subscribers('alerts');
    } catch (err) {
      this.#o.log.warn({ err }, 'could not read alert subscribers');
    }
    for (const ref of refs) {
      const poster = this.#posters.get(ref.platform);
      if (poster === undefined) continue;
      const settings = await this.#o.settings.channelSettings(ref).catch(() => undefined);
      if (settings === undefined) continue;
      const target: AlertTarget = {
        id: refId(ref),
        post: async (m) => (await poster.post(ref, m)).id,
        update: (id, m) => poster.update({ ref, id }, m),
      };
      out.push({ target, thresholds: this.#thresholds(settings), quiet: this.#quiet(settings) });
    }
    return out;
  }

  #thresholds(s: ChannelSettings): Thresholds {
    return { minCount: s.alertMinCount ?? this.#o.config.minCount, ratio: s.alertRatio ?? this.#o.config.ratio };
  }

  #quiet(s: ChannelSettings): { from: number; to: number } | undefined {
    if (s.alertQuietHours === 'off') return undefined;
    return s.alertQuietHours == null ? this.#o.config.quietHours : parseHours(s.alertQuietHours);
  }

  #spikingNow(): string[] {
    const now = this.#now();
    const t = { minCount: this.#o.config.minCount, ratio: this.#o.config.ratio };
    return [...this.#counts.keys()].filter((k) => isSpike(this.#counts.count(k, now), this.#baselines.usual(k).value, t));
  }
}
