import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ChannelRef } from '../core/chat-port.js';
import { attemptCode, finalAttempt, isUp, type ProbeReport } from '../core/probe/probe-report.js';
import type { ProbeRequest } from '../core/probe/probe-request.js';
import { targetDownMessage, targetUpMessages } from '../core/probe/watch-card.js';
import { parseWatchLine, type WatchLimits } from '../core/probe/watch-request.js';
import type { WatchResult } from '../core/probe/watch-state.js';
import type { Result } from '../core/result.js';
import { refOf, type StateAlerts } from '../alerts/state-alerts.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import { CONFIG_WATCHER, type ProbeStore, type RecordedResult } from '../ports/probe-store.js';

export interface ProbeSchedulerOptions {
  readonly store: ProbeStore;
  /** Runs one probe, the allow-list applied (the probe service's). */
  readonly probe: (request: ProbeRequest) => Promise<Result<ProbeReport>>;
  readonly alerts: StateAlerts;
  readonly log: Logger;
  readonly metrics?: Metrics;
  /** Failed probes in a row before a target is down (PROBE_DOWN_AFTER). */
  readonly downAfter: number;
  readonly limits: WatchLimits;
  /** Who claims slots in the store: unique per process. */
  readonly owner?: string;
  readonly now?: () => number;
  /** How often due targets are looked for; intervals shorter than this are rounded up to it. */
  readonly tickMs?: number;
  /** Probes in flight at once from this process; due targets beyond it wait for the next tick. */
  readonly maxRunning?: number;
}

interface Due {
  readonly intervalMs: number;
  readonly watchers: string[];
}

/**
 * Probes every watched target once per interval. Each interval of each target is a slot, claimed in the
 * store before probing: replicas sharing a database all tick, one of them probes. The result is folded into
 * the target's state in the store; whoever records a change (down after PROBE_DOWN_AFTER failures in a row,
 * or back up) tells the watching channels through the alert mechanism, with the message ids kept in the store
 * so that the replica seeing the recovery edits the message another one posted.
 */
export class ProbeScheduler {
  readonly #o: ProbeSchedulerOptions;
  readonly #now: () => number;
  readonly #owner: string;
  readonly #lastSlot = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #known = new Map<string, Record<string, string>>();
  /** The result time each target's gauges were last set from. */
  readonly #mirrored = new Map<string, number>();
  #targets = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;

  constructor(options: ProbeSchedulerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), this.#o.tickMs ?? 1000);
    this.#timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Settles when no probe started so far is still running. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** A message went out for `target` in `destination`: kept, so later edits (from any replica) find it. */
  posted(target: string, destination: string, messageId: string): void {
    const known = { ...(this.#known.get(target) ?? {}), [destination]: messageId };
    this.#known.set(target, known);
    this.#o.store.setAlerts(target, known).catch((err: unknown) => this.#o.log.warn({ err, target }, 'could not keep the alert message id'));
  }

  /** One round: claims and starts the probes that are due. Runs on the timer; tests call it directly. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick()
      .catch((err: unknown) => this.#o.log.warn({ err }, 'could not schedule probes'))
      .finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    const due = new Map<string, Due>();
    for (const w of await this.#o.store.watches()) {
      const d = due.get(w.target);
      if (d === undefined) due.set(w.target, { intervalMs: w.intervalMs, watchers: [w.watcher] });
      else due.set(w.target, { intervalMs: Math.min(d.intervalMs, w.intervalMs), watchers: [...d.watchers, w.watcher] });
    }
    for (const gone of this.#targets) {
      if (due.has(gone)) continue;
      this.#o.metrics?.probeForget(gone);
      this.#lastSlot.delete(gone);
      this.#mirrored.delete(gone);
    }
    this.#targets = new Set(due.keys());
    await this.#mirror(due);
    const now = this.#now();
    for (const [target, d] of due) {
      const slot = Math.floor(now / Math.max(d.intervalMs, 1));
      if (this.#lastSlot.get(target) === slot || this.#running.has(target)) continue;
      if (this.#running.size >= (this.#o.maxRunning ?? 8)) break;
      this.#lastSlot.set(target, slot);
      if (!(await this.#o.store.claimSlot(target, slot, this.#owner, now))) continue;
      const run = this.#probe(target, slot, d.watchers)
        .catch((err: unknown) => this.#o.log.warn({ err, target }, 'scheduled probe failed'))
        .finally(() => this.#running.delete(target));
      this.#running.set(target, run);
    }
  }

  /**
   * Results another replica recorded reach this one's gauges too, so that every instance scraped says the
   * same about a target (the histogram stays with the replica that measured the round trip).
   */
  async #mirror(due: ReadonlyMap<string, Due>): Promise<void> {
    const metrics = this.#o.metrics;
    if (metrics === undefined) return;
    for (const s of await this.#o.store.targetStates()) {
      if (!due.has(s.target) || s.lastAt === null || this.#mirrored.get(s.target) === s.lastAt) continue;
      this.#mirrored.set(s.target, s.lastAt);
      metrics.probeResult(s.target, s.failures === 0, s.lastCode, null);
    }
  }

  async #probe(target: string, slot: number, watchers: readonly string[]): Promise<void> {
    const spec = parseWatchLine(target, { ...this.#o.limits, minIntervalMs: 0 });
    if (!spec.ok) {
      this.#o.log.warn({ target, problem: spec.problem.code }, 'a watched target no longer reads as a probe; skipped');
      return;
    }
    const r = await this.#o.probe(spec.value.request);
    const result = resultOf(r, slot, this.#now());
    if (!r.ok) this.#o.log.warn({ target, problem: r.problem.code }, 'scheduled probe refused: counted as failed');
    this.#o.metrics?.probeResult(target, result.up, result.code, result.rttMs === null ? null : result.rttMs / 1000);
    const recorded = await this.#o.store.recordResult(target, result, this.#o.downAfter);
    if (recorded !== undefined) await this.#tell(target, recorded, watchers);
  }

  async #tell(target: string, r: RecordedResult, watchers: readonly string[]): Promise<void> {
    if (r.state.status !== 'down' && r.change !== 'up') return;
    const channels: ChannelRef[] = watchers.flatMap((w) => refOf(w) ?? []);
    if (watchers.includes(CONFIG_WATCHER)) channels.push(...(await this.#o.alerts.subscribers()));
    const known = { ...r.state.alerts, ...(this.#known.get(target) ?? {}) };
    const key = alertKey(target);
    const now = this.#now();
    if (r.change === 'up') {
      const { message, reply } = targetUpMessages(target, r.state, r.previousSince, now);
      this.#o.alerts.resolve(key, channels, message, reply, known);
      this.#known.delete(target);
      this.#o.log.info({ target, downSince: r.previousSince }, 'watched target back up');
      await this.#o.store.setAlerts(target, {});
      return;
    }
    if (r.change === 'down') this.#o.log.warn({ target, code: r.state.lastCode }, 'watched target down');
    await this.#o.alerts.show(key, channels, targetDownMessage(target, r.state, this.#o.downAfter), now, known);
  }
}

/** The alert key of a target, as the pacer and the store's message ids know it. */
export function alertKey(target: string): string {
  return `probe:${target}`;
}

/** What one probe contributes to a target's state: up, the code a client would report, the round trip. */
export function resultOf(r: Result<ProbeReport>, slot: number, time: number): WatchResult {
  if (!r.ok) return { slot, time, up: false, code: null, rttMs: null };
  const last = finalAttempt(r.value);
  const code = last === undefined ? null : (attemptCode(last.outcome) ?? null);
  const rttMs = last?.outcome.kind === 'answer' ? last.outcome.rttLastSendMs : null;
  return { slot, time, up: isUp(r.value), code, rttMs };
}
