import { bindingDropMessage, bindingsBackMessages, type BindingDrop } from '../core/probe/registration-card.js';
import { registerOutcomes } from '../core/probe/register-outcomes.js';
import type { SipMessage } from '../core/sip/message.js';
import type { StateAlerts } from '../alerts/state-alerts.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { RegistrationConfig } from './probe-config.js';

export interface RegistrationWatchOptions {
  readonly config: RegistrationConfig;
  readonly alerts: StateAlerts;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  /** Below this many active bindings a fall is noise (three phones rebooting), not an incident. */
  readonly minBindings?: number;
  /** Bindings tracked at most; REGISTERs for new ones beyond it are counted, not tracked. */
  readonly maxBindings?: number;
  readonly evaluateEveryMs?: number;
}

const KEY = 'registrations:drop';

/**
 * Registrations seen in live traffic (HEP): each REGISTER's outcome counted per registrar and AOR domain, and
 * the bindings they make kept (AOR and contact, until their expiry or an Expires 0). When the active count
 * falls by more than REG_DROP_SHARE from its highest point within REG_DROP_MINUTES, the channels subscribed
 * to alerts get one message, edited as it goes on, and a reply when most bindings are back.
 */
export class RegistrationWatch {
  readonly #o: RegistrationWatchOptions;
  readonly #now: () => number;
  /** "aor|contact" → when the binding expires (ms). */
  readonly #bindings = new Map<string, number>();
  /** Active counts over the window, one sample per evaluation. */
  #samples: { at: number; active: number }[] = [];
  /** Per registrar, bindings removed or REGISTERs refused in the window. */
  #losses: { at: number; registrar: string }[] = [];
  #open: BindingDrop | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RegistrationWatchOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    options.metrics?.gauge('siptriage_register_bindings', 'Registrations (AOR and contact) seen made and not yet expired or removed in live traffic', () => this.active(this.#now()));
  }

  /** The messages of one Call-ID that held a REGISTER. */
  observe(messages: readonly SipMessage[]): void {
    const now = this.#now();
    for (const r of registerOutcomes(messages)) {
      this.#o.metrics?.registration(r.outcome, r.registrar, r.domain);
      if (r.outcome === 'failed') {
        this.#losses.push({ at: now, registrar: r.registrar });
        continue;
      }
      for (const contact of r.contacts) {
        if (r.outcome === 'registered') {
          const key = `${r.aor}|${contact}`;
          if (!this.#bindings.has(key) && this.#bindings.size >= (this.#o.maxBindings ?? 200_000)) continue;
          this.#bindings.set(key, now + r.expiresSec * 1000);
          continue;
        }
        const removed = contact === '*' ? [...this.#bindings.keys()].filter((k) => k.startsWith(`${r.aor}|`)) : [`${r.aor}|${contact}`];
        for (const k of removed) if (this.#bindings.delete(k)) this.#losses.push({ at: now, registrar: r.registrar });
      }
    }
  }

  /** Bindings not expired at `now`. */
  active(now: number): number {
    let n = 0;
    for (const until of this.#bindings.values()) if (until > now) n++;
    return n;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.evaluate().catch((err: unknown) => this.#o.log.warn({ err }, 'could not judge registrations')), this.#o.evaluateEveryMs ?? 10_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One round: sample the active count, and open, edit or close the alert. Runs on the timer; tests call it. */
  async evaluate(): Promise<void> {
    const now = this.#now();
    for (const [k, until] of this.#bindings) if (until <= now) this.#bindings.delete(k);
    const active = this.#bindings.size;
    const from = now - this.#o.config.dropWindowMs;
    this.#samples = [...this.#samples.filter((s) => s.at >= from), { at: now, active }];
    this.#losses = this.#losses.filter((l) => l.at >= from);
    const peak = Math.max(...this.#samples.map((s) => s.active));
    const share = this.#o.config.dropShare;
    const open = this.#open;
    if (open === undefined) {
      if (peak < (this.#o.minBindings ?? 10) || active > peak * (1 - share)) return;
      const since = this.#samples.find((s) => s.active === peak)?.at ?? now;
      this.#open = { before: peak, now: active, since, windowMs: this.#o.config.dropWindowMs, registrars: this.#registrars() };
      this.#o.log.warn({ before: peak, now: active }, 'mass de-registration');
      await this.#show();
      return;
    }
    // Hysteresis: back only when most of what was lost has returned, so a count hovering at the line does not flap.
    const current: BindingDrop = { ...open, now: active, registrars: open.registrars.length > 0 ? open.registrars : this.#registrars() };
    this.#open = current;
    if (active >= open.before * (1 - share / 2)) {
      this.#open = undefined;
      await this.#resolve(current, now);
      return;
    }
    await this.#show();
  }

  async #show(): Promise<void> {
    if (this.#open === undefined) return;
    await this.#o.alerts.show(KEY, await this.#o.alerts.subscribers(), bindingDropMessage(this.#open), this.#now());
  }

  async #resolve(d: BindingDrop, at: number): Promise<void> {
    const { message, reply } = bindingsBackMessages(d, at);
    this.#o.alerts.resolve(KEY, await this.#o.alerts.subscribers(), message, reply);
  }

  #registrars(): string[] {
    const by = new Map<string, number>();
    for (const l of this.#losses) by.set(l.registrar, (by.get(l.registrar) ?? 0) + 1);
    return [...by].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([r, n]) => `${r}: ${n}`);
  }
}
