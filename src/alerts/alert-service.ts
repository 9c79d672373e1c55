import { parseHours, type AlertConfig } from './alert-config.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Card } from '../core/card/card.js';
import type { ChannelRef, ChatPoster, OutgoingMessage } from '../core/chat-port.js';
import type { AlertsCommand } from '../core/query/alerts-query.js';
import type { CallEvent } from '../core/triage/call-events.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { ChannelSettings } from '../ports/store.js';
import type { ObservedQuality } from '../ports/surface.js';
import { incidentMessage, incidentName, keyWords, resolvedReply, type IncidentView } from './alert-card.js';
import { activeKeys, byScope, IncidentBook, isOpen, leadKey, type Incident } from './incident.js';
import { refId, type AlertSettingsPort } from './alert-settings.js';
import { alertsCard, incidentActionCard, incidentGoneCard, settingsPatch } from './alerts-command.js';
import { isPoorAudio, isQualityResolved, isQualitySpike, parseSpikeKey, qualityKey } from './spike-keys.js';
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
  /**
   * The "example calls" slot: given an incident's code and peer, the /sip query that lists calls kept for
   * it, or undefined when none are kept. Without it the alert has no Example calls button.
   */
  readonly examplesQuery?: (incident: { readonly code?: number; readonly peer?: string; readonly since: number; readonly now: number }) => string | undefined;
  /** Kept calls of an incident with links to their ladders (PUBLIC_URL); without it the alert lists none. */
  readonly exampleCalls?: (scope: { readonly code?: number; readonly peer?: string; readonly from: number; readonly to: number }) => Promise<NonNullable<IncidentView['exampleCalls']>>;
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
  /** Per quality key, the peer's calls with a quality report (the key's own count is the poor ones). */
  readonly #qualityCalls: WindowCounts;
  readonly #recent: RecentFailures;
  readonly #baselines: Baselines;
  readonly #pacer: ChannelPacer;
  readonly #posters = new Map<ChannelRef['platform'], ChatPoster>();
  readonly #books = new Map<string, IncidentBook>();
  /** The last view of each open incident, so ack and mute can redraw it between evaluations. */
  readonly #views = new Map<string, { target: AlertTarget; view: IncidentView }>();
  /** Per incident id, its example calls once found; kept so the links stay the same as the alert is edited. */
  readonly #examples = new Map<string, NonNullable<IncidentView['exampleCalls']>>();
  #ids = 0;
  readonly #started: number;
  #console: { write: (m: OutgoingMessage) => void; settings: ChannelSettings } | undefined;
  #lastRoll: number;
  #timer: NodeJS.Timeout | undefined;
  #evaluating: Promise<void> | undefined;

  constructor(options: AlertServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#counts = new WindowCounts(options.config.windowMs);
    this.#qualityCalls = new WindowCounts(options.config.windowMs);
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
    this.#recent.add(now, e.code, e.peer, e);
  }

  /** A call's audio quality (live RTCP or RFC 6035 reports): counted for its peer's quality key. */
  observeQuality(u: ObservedQuality): void {
    const now = this.#now();
    const key = qualityKey(u.peer);
    if (key === undefined || u.time < now - this.#o.config.windowMs) return;
    this.#qualityCalls.add(key, now);
    if (isPoorAudio(u.quality.mos)) this.#counts.add(key, now);
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
  async command(where: ChannelRef | { readonly console: (m: OutgoingMessage) => void }, cmd: AlertsCommand, by = 'someone'): Promise<Card> {
    const id = 'console' in where ? CONSOLE : refId(where);
    if (cmd.action === 'ack' || cmd.action === 'mute') return this.#onIncident(id, cmd, by);
    const patch = settingsPatch(cmd);
    let settings: ChannelSettings;
    if ('console' in where) {
      this.#console ??= { write: where.console, settings: { autoTriage: true, digest: false, alerts: false } };
      if (patch !== undefined) this.#console.settings = { ...this.#console.settings, ...patch };
      settings = this.#console.settings;
    } else {
      settings = patch === undefined ? await this.#o.settings.channelSettings(where) : await this.#o.settings.updateChannelSettings(where, patch);
    }
    if (!settings.alerts) this.#books.delete(id);
    return alertsCard(cmd, {
      subscribed: settings.alerts,
      thresholds: this.#thresholds(settings),
      quietHours: this.#quiet(settings),
      timeZone: this.#o.config.timeZone,
      windowMs: this.#o.config.windowMs,
      persistent: this.#o.persistent || 'console' in where,
      baseline: this.#baselines.fromHistory ? 'history' : 'ewma',
      active: this.#spikingWords(id),
    });
  }

  /** Acknowledge or mute from an alert's buttons: recorded on the incident and shown on its message at once. */
  #onIncident(channelId: string, cmd: Extract<AlertsCommand, { action: 'ack' | 'mute' }>, by: string): Card {
    const book = this.#books.get(channelId);
    const incident = book?.get(cmd.incident);
    const shown = this.#views.get(`${channelId}|${cmd.incident}`);
    if (book === undefined || incident === undefined || shown === undefined) return incidentGoneCard();
    const now = this.#now();
    if (cmd.action === 'ack') incident.ack ??= { by, at: now };
    else book.mute(incident, by, now + cmd.minutes * 60_000);
    const view: IncidentView = { ...shown.view, now, ...(incident.ack === undefined ? {} : { ack: incident.ack }), ...(incident.mute === undefined ? {} : { mute: incident.mute }) };
    this.#show(shown.target, incident, view);
    return incidentActionCard(cmd, incident, by);
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
    for (const sub of await this.#subscribers()) this.#judge(sub, now, warm);
    await this.#findExamples(now);
    // Fold the window into the usual rate after judging it, leaving out keys that are spiking, so that a
    // spike neither hides itself nor becomes the norm.
    const alerting = new Set([...this.#books.values()].flatMap((b) => b.open().flatMap((i) => [...i.keys.keys()])));
    if (now - this.#lastRoll >= windowMs) {
      const counts = new Map([...this.#counts.keys()].map((k) => [k, this.#counts.count(k, now)]));
      const spiking = new Set([...alerting, ...this.#spikingNow()]);
      this.#baselines.roll(counts, spiking);
      this.#lastRoll = now;
    }
    this.#counts.prune(now, alerting);
    this.#qualityCalls.prune(now, alerting);
  }

  /** Counts spike against the usual; poor audio on its share of the peer's calls (spike-keys.ts). */
  #spikes(key: string, now: number, t: Thresholds): boolean {
    const count = this.#counts.count(key, now);
    if (parseSpikeKey(key).scope === 'quality') return isQualitySpike(count, this.#qualityCalls.count(key, now), t);
    return isSpike(count, this.#baselines.usual(key).value, t);
  }

  #resolved(key: string, count: number, now: number, t: Thresholds): boolean {
    if (parseSpikeKey(key).scope === 'quality') return isQualityResolved(count, this.#qualityCalls.count(key, now), t);
    return isResolved(count, this.#baselines.usual(key).value, t);
  }

  /**
   * One channel's round: open incidents are updated or cleared, then keys spiking outside them join the
   * incident that counts the same calls (503, 5xx and the peer sending them are one incident) or open one.
   */
  #judge(sub: Subscriber, now: number, warm: boolean): void {
    let book = this.#books.get(sub.target.id);
    if (book === undefined) this.#books.set(sub.target.id, (book = new IncidentBook()));
    for (const incident of book.open()) {
      for (const [key, k] of incident.keys) {
        if (!k.active) continue;
        k.count = this.#counts.count(key, now);
        k.peak = Math.max(k.peak, k.count);
        if (this.#resolved(key, k.count, now, sub.thresholds)) k.active = false;
      }
      if (!isOpen(incident)) {
        book.close(incident.id);
        this.#resolve(sub.target, incident, now);
      }
    }
    const quiet = inQuietHours(now, sub.quiet, this.#o.config.timeZone);
    const spiking = [...this.#counts.keys()]
      .filter((key) => book.holding(key) === undefined && !book.isMuted(key, now))
      .filter((key) => this.#spikes(key, now, sub.thresholds))
      .sort(byScope);
    for (const key of spiking) {
      const overlaps = (a: string, b: string): boolean => this.#recent.overlaps(a, b, now);
      const joins = book.open().some((i) => activeKeys(i).some((k) => overlaps(k, key)));
      // New incidents wait for a warm baseline and for quiet hours to end; growing an open one does not.
      if (!joins && (!warm || quiet)) continue;
      book.place(key, this.#counts.count(key, now), now, overlaps, () => this.#newId(now));
    }
    for (const incident of book.open()) {
      const muted = incident.mute !== undefined && incident.mute.until > now;
      if (muted && incident.shown !== '') continue;
      this.#show(sub.target, incident, this.#view(incident, now, 'active'));
    }
  }

  #view(incident: Incident, now: number, state: IncidentView['state']): IncidentView {
    const lead = leadKey(incident);
    const k = incident.keys.get(lead);
    const keys = [...incident.keys.keys()].sort(byScope);
    const code = keys.map(parseSpikeKey).find((x) => x.scope === 'code')?.value;
    const peer = keys.map(parseSpikeKey).find((x) => x.scope === 'peer')?.value;
    const quality = parseSpikeKey(lead).scope === 'quality' ? this.#qualityCalls.count(lead, now) : undefined;
    const found = this.#examples.get(incident.id);
    const examples = this.#o.examplesQuery?.({ ...(code === undefined ? {} : { code: Number(code) }), ...(peer === undefined ? {} : { peer }), since: incident.since, now });
    return {
      id: incident.id,
      state,
      lead,
      keys,
      count: this.#counts.count(lead, now),
      peak: k?.peak ?? 0,
      usual: this.#baselines.usual(lead),
      since: incident.since,
      now,
      windowMs: this.#o.config.windowMs,
      profile: this.#recent.profile([lead], now),
      ...(incident.ack === undefined ? {} : { ack: incident.ack }),
      ...(incident.mute === undefined ? {} : { mute: incident.mute }),
      ...(examples === undefined ? {} : { examplesQuery: examples }),
      ...(found === undefined ? {} : { exampleCalls: found }),
      ...(quality === undefined ? {} : { qualityCalls: quality }),
    };
  }

  /**
   * Looks up kept calls for open incidents that have fewer than three, and shows them. After judging, so a
   * new incident's first post is not held up by the store; the keeper writes calls a moment after counting.
   */
  async #findExamples(now: number): Promise<void> {
    const find = this.#o.exampleCalls;
    if (find === undefined) return;
    for (const { target, view } of [...this.#views.values()]) {
      const incident = this.#books.get(target.id)?.get(view.id);
      const muted = incident?.mute !== undefined && incident.mute.until > now;
      if (incident === undefined || !isOpen(incident) || muted || (this.#examples.get(incident.id)?.length ?? 0) >= 3) continue;
      const keys = view.keys.map(parseSpikeKey);
      const code = keys.find((k) => k.scope === 'code')?.value;
      const peer = keys.find((k) => k.scope === 'peer')?.value;
      try {
        this.#examples.set(incident.id, await find({ ...(code === undefined ? {} : { code: Number(code) }), ...(peer === undefined ? {} : { peer }), from: incident.since, to: now }));
      } catch (err) {
        this.#o.log.warn({ err }, 'could not read example calls for a spike alert');
        continue;
      }
      this.#show(target, incident, { ...view, exampleCalls: this.#examples.get(incident.id) ?? [] });
    }
  }

  /** Sends the incident's message when its content changed since it was last sent. */
  #show(target: AlertTarget, incident: Incident, view: IncidentView): void {
    const message = incidentMessage(this.#o.kb, view);
    const content = JSON.stringify(message);
    this.#views.set(`${target.id}|${incident.id}`, { target, view });
    if (content === incident.shown) return;
    incident.shown = content;
    this.#pacer.send(target, incident.id, message);
  }

  /** The last edit keeps the breakdown as it was last seen active; a threaded reply tells people it cleared. */
  #resolve(target: AlertTarget, incident: Incident, now: number): void {
    const last = this.#views.get(`${target.id}|${incident.id}`)?.view ?? this.#view(incident, now, 'active');
    this.#views.delete(`${target.id}|${incident.id}`);
    this.#examples.delete(incident.id);
    const lead = incident.keys.get(last.lead);
    const view: IncidentView = { ...last, state: 'resolved', now, count: this.#counts.count(last.lead, now), peak: lead?.peak ?? last.peak };
    const muted = incident.mute !== undefined && incident.mute.until > now;
    this.#pacer.send(target, incident.id, incidentMessage(this.#o.kb, view), muted ? undefined : resolvedReply(this.#o.kb, view));
    this.#pacer.forget(target.id, incident.id);
  }

  #newId(now: number): string {
    return `${(now % 2 ** 32).toString(36)}${(++this.#ids).toString(36)}`;
  }

  /** What is spiking, in words, for `/sip alerts`: this channel's open incidents, or what would alert now. */
  #spikingWords(channelId: string): string[] {
    const open = this.#books.get(channelId)?.open() ?? [];
    if (open.length > 0) return open.map((i) => incidentName(this.#o.kb, this.#view(i, this.#now(), 'active')));
    return this.#spikingNow().sort(byScope).map((k) => keyWords(this.#o.kb, k));
  }

  async #subscribers(): Promise<Subscriber[]> {
    const out: Subscriber[] = [];
    if (this.#console?.settings.alerts === true) {
      const write = this.#console.write;
      let n = 0;
      const target: AlertTarget = { id: CONSOLE, post: async (m) => (write(m), String(++n)), update: async (_id, m) => write(m), reply: async (_id, m) => write(m) };
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
        reply: async (id, m) => void (poster.reply === undefined ? await poster.post(ref, m) : await poster.reply({ ref, id }, m)),
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
    return [...this.#counts.keys()].filter((k) => this.#spikes(k, now, t));
  }
}
