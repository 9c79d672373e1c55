import type { OutgoingMessage } from '../core/chat-port.js';

/** Somewhere alerts are shown: a chat channel through its platform's ChatPoster, or the console. */
export interface AlertTarget {
  /** Stable id, also the pacing key: "slack:T1:C2", "console". */
  readonly id: string;
  post(message: OutgoingMessage): Promise<string>;
  update(messageId: string, message: OutgoingMessage): Promise<void>;
  /** A reply under the post (a Slack thread reply, a Discord reply), which notifies where an edit does not. */
  reply(messageId: string, message: OutgoingMessage): Promise<void>;
}

interface Pending {
  readonly message: OutgoingMessage;
  /** Sent after the message, under its post: the "resolved" reply. */
  readonly reply?: OutgoingMessage;
}

interface Slot {
  /** Latest content per alert, waiting to be sent; a newer one replaces an older one. */
  readonly pending: Map<string, Pending>;
  readonly posted: Map<string, string>;
  busy: boolean;
  nextAt: number;
  timer: NodeJS.Timeout | undefined;
}

export interface PacerOptions {
  /** Slack allows about one message per second per channel (chat.postMessage, "Rate limits"). */
  readonly intervalMs?: number;
  readonly onError?: (err: unknown, targetId: string, alertKey: string) => void;
  readonly onSent?: (action: 'posted' | 'updated' | 'resolved') => void;
  /** A first post went out: its id, for alerts whose later edits may come from another replica. */
  readonly onPosted?: (targetId: string, alertKey: string, messageId: string) => void;
}

/**
 * Sends alert messages at most one per `intervalMs` per target. The first message of an alert is posted;
 * later ones update that post. Updates that pile up while waiting are coalesced: only the newest content of
 * each alert is sent, so a burst of changes costs one edit.
 */
export class ChannelPacer {
  readonly #slots = new Map<string, Slot>();
  readonly #interval: number;
  readonly #options: PacerOptions;

  constructor(options: PacerOptions = {}) {
    this.#interval = options.intervalMs ?? 1000;
    this.#options = options;
  }

  send(target: AlertTarget, alertKey: string, message: OutgoingMessage, reply?: OutgoingMessage): void {
    let slot = this.#slots.get(target.id);
    if (slot === undefined) this.#slots.set(target.id, (slot = { pending: new Map(), posted: new Map(), busy: false, nextAt: 0, timer: undefined }));
    // A reply waiting to go is kept when newer content replaces the message it follows.
    const earlier = slot.pending.get(alertKey)?.reply;
    slot.pending.delete(alertKey);
    const r = reply ?? earlier;
    slot.pending.set(alertKey, r === undefined ? { message } : { message, reply: r });
    this.#schedule(target, slot);
  }

  /** The alert is over: its next message is its last, and its post id is forgotten after that. */
  forget(targetId: string, alertKey: string): void {
    const slot = this.#slots.get(targetId);
    if (slot !== undefined && !slot.pending.has(alertKey)) slot.posted.delete(alertKey);
  }

  /** An alert already posted (by this process before a restart, or by another replica): later sends edit it. */
  adopt(targetId: string, alertKey: string, messageId: string): void {
    let slot = this.#slots.get(targetId);
    if (slot === undefined) this.#slots.set(targetId, (slot = { pending: new Map(), posted: new Map(), busy: false, nextAt: 0, timer: undefined }));
    slot.posted.set(alertKey, messageId);
  }

  isPosted(targetId: string, alertKey: string): boolean {
    return this.#slots.get(targetId)?.posted.has(alertKey) ?? false;
  }

  /** Settles when nothing is waiting or in flight (tests, shutdown). */
  async settled(): Promise<void> {
    while ([...this.#slots.values()].some((s) => s.busy || s.pending.size > 0)) await new Promise((r) => setTimeout(r, 20));
  }

  stop(): void {
    for (const slot of this.#slots.values()) if (slot.timer !== undefined) clearTimeout(slot.timer);
    this.#slots.clear();
  }

  #schedule(target: AlertTarget, slot: Slot): void {
    if (slot.busy || slot.timer !== undefined || slot.pending.size === 0) return;
    const wait = Math.max(0, slot.nextAt - Date.now());
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.#sendNext(target, slot);
    }, wait);
    slot.timer.unref?.();
  }

  async #sendNext(target: AlertTarget, slot: Slot): Promise<void> {
    const next = slot.pending.entries().next().value;
    if (next === undefined) return;
    const [key, { message, reply }] = next;
    slot.pending.delete(key);
    slot.busy = true;
    try {
      let id = slot.posted.get(key);
      if (id === undefined) {
        slot.posted.set(key, (id = await target.post(message)));
        this.#options.onSent?.('posted');
        this.#options.onPosted?.(target.id, key, id);
      } else {
        await target.update(id, message);
        this.#options.onSent?.('updated');
      }
      if (reply !== undefined) {
        await target.reply(id, reply);
        this.#options.onSent?.('resolved');
      }
    } catch (err) {
      this.#options.onError?.(err, target.id, key);
    } finally {
      slot.busy = false;
      slot.nextAt = Date.now() + this.#interval;
      this.#schedule(target, slot);
    }
  }
}
