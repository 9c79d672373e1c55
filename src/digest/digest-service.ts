import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DigestConfig } from './digest-config.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { StatsPort } from '../ports/surface.js';
import type { Card } from '../core/card/card.js';
import type { ChannelRef, ChatPoster, OutgoingMessage } from '../core/chat-port.js';
import type { StatsQuery } from '../core/query/stats-query.js';
import { renderDigestChartSvg } from '../core/stats/digest-chart-svg.js';
import type { DigestCardOptions } from '../core/stats/digest-card.js';
import { digestMessage } from '../core/stats/digest-message.js';
import { buildDigest, digestPeriod, digestQueries, type DigestModel } from '../core/stats/digest-model.js';
import { statsCard } from '../core/stats/stats-card.js';
import { buildStats, statsPeriods, statsQueries, type StatsModel } from '../core/stats/stats-model.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { svgToPng } from '../render/svg-to-png.js';
import type { DigestKey, Store } from '../ports/store.js';
import { destinationKey, digestDestinations } from './destinations.js';
import { DigestSchedule } from './digest-schedule.js';
import { readRows } from './read-rows.js';
import type { WatchUptime } from '../core/probe/watch-state.js';
import { buildQuality, type QualityModel } from '../core/stats/quality-model.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

export interface DigestServiceOptions {
  readonly store: Store;
  readonly kb: KnowledgeBase;
  readonly config: DigestConfig;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  /** Who claims digests in the store: unique per process. */
  readonly owner?: string;
  readonly retry?: RetryPolicy;
  /**
   * How long a claim holds before another replica may take it over (its owner crashed mid-post). Longer than
   * the slowest post with its retries: Slack's client alone retries a 429 or a 5xx for a few minutes.
   */
  readonly leaseMs?: number;
  /** The chart rasteriser: resvg (src/render/svg-to-png.ts) unless another is given. */
  readonly renderPng?: (svg: string) => Uint8Array;
  /** Calls are kept (CALLS_KEEP): the digest's top codes and peers carry Example calls buttons. */
  readonly examples?: boolean;
  /** PUBLIC_URL set: the latest kept calls in a scope with their ladder links, for the top codes' and peers' rows. */
  readonly exampleCalls?: (scope: { readonly code?: number; readonly peer?: string; readonly from: number; readonly to: number }, limit: number) => Promise<readonly { readonly url: string }[]>;
}

/** What happened to one destination's digest in one run. */
export interface DigestOutcome {
  readonly destination: string;
  readonly period: string;
  readonly result: 'posted' | 'skipped' | 'failed' | 'no-poster';
  readonly messageId?: string;
}

const DEFAULT_LEASE_MS = 30 * 60_000;
// A digest missed by more than a day is old news: the start-up catch-up leaves it (a daily cron never misses more).
const CATCH_UP_MS = 24 * 3_600_000;

/**
 * Error statistics and the daily digest over the store. Answers `/sip stats` and `/sip digest now` for every
 * surface (StatsPort), and posts the digest on DIGEST_CRON to every destination exactly once: each
 * (destination, period) is claimed in the store before posting, so a restart, a second replica or a retry
 * never posts it twice; a post that fails after its retries gives the claim back for a later run.
 */
export class DigestService implements StatsPort {
  readonly #o: DigestServiceOptions;
  readonly #now: () => number;
  readonly #owner: string;
  readonly #schedule: DigestSchedule;
  readonly #posters = new Map<ChannelRef['platform'], ChatPoster>();
  readonly #running = new Set<Promise<unknown>>();
  #stopSchedule: (() => void) | undefined;

  constructor(options: DigestServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#schedule = new DigestSchedule(options.config.cron, options.config.timeZone);
  }

  get timeZone(): string {
    return this.#o.config.timeZone;
  }

  attachPoster(poster: ChatPoster): void {
    this.#posters.set(poster.platform, poster);
  }

  async stats(query: StatsQuery, now = this.#now()): Promise<StatsModel> {
    const current = statsPeriods(query.range, now).current;
    const [rows, quality] = await Promise.all([readRows(this.#o.store, statsQueries(query, now)), this.#quality(current)]);
    const model = buildStats(query, now, rows);
    return quality === undefined ? model : { ...model, quality };
  }

  async statsCard(query: StatsQuery, now = this.#now()): Promise<Card> {
    return statsCard(this.#o.kb, await this.stats(query, now), this.timeZone);
  }

  /** The digest model for the 24 whole hours before `at` (or fewer, `lengthMs`). */
  /** `upToNow`: the period ends now, the hour in progress included (on demand), not at the last whole hour (scheduled). */
  async digest(at: number, lengthMs?: number, upToNow = false): Promise<DigestModel> {
    const period = digestPeriod(at, lengthMs, upToNow);
    const [rows, info, quality] = await Promise.all([readRows(this.#o.store, digestQueries(period)), this.#o.store.info(), this.#quality(period)]);
    const model = buildDigest({ period, rows, recordingSince: info.createdAt });
    return quality === undefined ? model : { ...model, quality };
  }

  /** Calls with audio quality in the range; undefined when the store does not keep it (or has none). */
  async #quality(range: { readonly from: number; readonly to: number }): Promise<QualityModel | undefined> {
    if (this.#o.store.qualityRows === undefined) return undefined;
    const model = buildQuality(await this.#o.store.qualityRows({ from: range.from, to: range.to }));
    return model.calls === 0 ? undefined : model;
  }

  /** The digest as it posts: the card, and the chart as PNG when anything failed. */
  async message(at: number, upToNow = false): Promise<OutgoingMessage> {
    const model = await this.digest(at, undefined, upToNow);
    const watched = await this.#watched(model);
    const options = { examples: this.#o.examples === true, ...(await this.#ladders(model)) };
    if (model.failures === 0) return digestMessage(this.#o.kb, model, this.timeZone, undefined, watched, options);
    const svg = renderDigestChartSvg(model, this.timeZone);
    let png: Uint8Array | undefined;
    try {
      png = (this.#o.renderPng ?? svgToPng)(svg);
    } catch (err) {
      // The numbers still go out without their picture.
      this.#o.log.warn({ err }, 'digest chart not drawn');
    }
    return digestMessage(this.#o.kb, model, this.timeZone, png, watched, options);
  }

  // The digest goes out without its ladder links rather than not at all.
  async #ladders(model: DigestModel): Promise<Pick<DigestCardOptions, 'ladders'>> {
    const find = this.#o.exampleCalls;
    if (find === undefined || model.failures === 0) return {};
    const range = { from: model.period.from, to: Math.min(model.period.to, model.period.asOf ?? model.period.to) };
    const latest = async (scope: { code?: number; peer?: string }): Promise<string | undefined> => (await find({ ...scope, ...range }, 1))[0]?.url;
    try {
      const codes = await Promise.all(model.topCodes.map(async (c) => [c.code, await latest({ code: c.code })] as const));
      const peers = await Promise.all(model.topPeers.map(async (p) => [p.peer, await latest({ peer: p.peer })] as const));
      const known = <K>(pairs: readonly (readonly [K, string | undefined])[]): Map<K, string> => new Map(pairs.filter((p): p is readonly [K, string] => p[1] !== undefined));
      return { ladders: { codes: known(codes), peers: known(peers) } };
    } catch (err) {
      this.#o.log.warn({ err }, 'could not read example calls for the digest');
      return {};
    }
  }

  // The digest goes out without the probes' lines rather than not at all.
  async #watched(model: DigestModel): Promise<WatchUptime[]> {
    try {
      return (await this.#o.store.probes?.uptime(model.period.from, model.period.to)) ?? [];
    } catch (err) {
      this.#o.log.warn({ err }, 'could not read probe results for the digest');
      return [];
    }
  }

  digestPreview(now = this.#now()): Promise<OutgoingMessage> {
    // "Now" means now: leaving out the hour in progress said "All clear" in the middle of an incident.
    return this.message(now, true);
  }

  /**
   * Posts on schedule from now on, and catches up the latest scheduled digest (if less than a day old) when it
   * did not go out: the process was down at 09:00. The claim makes the catch-up safe to run on every start.
   */
  start(): void {
    if (this.#stopSchedule !== undefined) return;
    this.#stopSchedule = this.#schedule.every(() => this.#track(this.#runLatest('scheduled')));
    this.#track(this.#runLatest('catch-up'));
  }

  async stop(): Promise<void> {
    this.#stopSchedule?.();
    this.#stopSchedule = undefined;
    await Promise.allSettled([...this.#running]);
  }

  /** The latest scheduled time at or before now, for `siptriage digest --post` and the catch-up on start. */
  latestScheduled(now = this.#now()): number | undefined {
    return this.#schedule.latest(now);
  }

  /** Claims, posts and completes the digest scheduled at `at` for every destination; returns what happened. */
  async runScheduled(at: number): Promise<DigestOutcome[]> {
    const period = this.#schedule.period(at);
    let subscribed: ChannelRef[] = [];
    try {
      subscribed = await this.#o.store.subscribers('digest');
    } catch (err) {
      this.#o.log.warn({ err }, 'could not read digest subscribers; posting to the configured channels only');
    }
    let built: Promise<OutgoingMessage> | undefined;
    // Built once per run and only when some destination still needs it, so a catch-up that finds everything
    // posted reads nothing.
    const build = (): Promise<OutgoingMessage> => (built ??= this.message(at));
    const destinations = digestDestinations(subscribed, this.#o.config.channels);
    return Promise.all(destinations.map((ref) => this.#deliver(ref, { destination: destinationKey(ref), period }, build)));
  }

  async #deliver(ref: ChannelRef, key: DigestKey, build: () => Promise<OutgoingMessage>): Promise<DigestOutcome> {
    const log = this.#o.log.child({ destination: key.destination, period: key.period });
    const poster = this.#posters.get(ref.platform);
    if (poster === undefined) {
      log.warn(`no ${ref.platform} connection: digest not posted there`);
      return { ...key, result: 'no-poster' };
    }
    let claimed: boolean;
    try {
      claimed = await this.#o.store.claimDigest(key, this.#owner, this.#now(), this.#o.leaseMs ?? DEFAULT_LEASE_MS);
    } catch (err) {
      this.#o.metrics?.digestRun('failed');
      log.error({ err }, 'could not claim the digest; not posted');
      return { ...key, result: 'failed' };
    }
    if (!claimed) {
      this.#o.metrics?.digestRun('skipped');
      log.debug('digest already posted or being posted elsewhere');
      return { ...key, result: 'skipped' };
    }
    let posted;
    try {
      const message = await build();
      posted = await withRetry(this.#o.retry ?? DEFAULT_RETRY, () => poster.post(ref, message), (err, attempt) => log.warn({ err, attempt }, 'digest post failed'));
    } catch (err) {
      this.#o.metrics?.digestRun('failed');
      log.error({ err }, 'digest not posted; released for a later run');
      await this.#o.store.releaseDigest(key, this.#owner).catch((e: unknown) => log.error({ err: e }, 'could not release the digest claim'));
      return { ...key, result: 'failed' };
    }
    this.#o.metrics?.digestRun('posted');
    try {
      // The post is out: from here on, a failure must not release the claim, or another run would post it again.
      await withRetry(this.#o.retry ?? DEFAULT_RETRY, () => this.#o.store.completeDigest(key, this.#owner, posted.id));
    } catch (err) {
      log.error({ err }, 'digest posted but not marked complete; its claim expires after the lease');
    }
    log.info({ messageId: posted.id }, 'digest posted');
    return { ...key, result: 'posted', messageId: posted.id };
  }

  async #runLatest(why: 'scheduled' | 'catch-up'): Promise<void> {
    const now = this.#now();
    const at = this.#schedule.latest(now);
    if (at === undefined || (why === 'catch-up' && now - at > CATCH_UP_MS)) return;
    try {
      await this.runScheduled(at);
    } catch (err) {
      this.#o.log.error({ err, why }, 'digest run failed');
    }
  }

  #track(p: Promise<unknown>): void {
    this.#running.add(p);
    void p.finally(() => this.#running.delete(p));
  }
}
