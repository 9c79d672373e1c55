/**
 * The ingest path's own bounded FIFO between the sockets and the parser. Receiving is cheap and processing
 * is not, so under overload packets wait here, and once the queue is full (by count or bytes) new ones are
 * refused for the caller to count as dropped: memory stays bounded whatever arrives. The queue is drained
 * in slices of at most `sliceMs`, yielding to the event loop in between, so HTTP requests and the chat
 * adapters are served while a burst is being worked off. Nothing else shares it.
 */
export class PacketQueue<T extends { readonly length: number }> {
  readonly #ring: (T | undefined)[];
  readonly #maxBytes: number;
  readonly #sliceMs: number;
  readonly #handle: (item: T) => void;
  #head = 0;
  #size = 0;
  #bytes = 0;
  #scheduled: NodeJS.Immediate | undefined;
  #idle: (() => void)[] = [];

  constructor(options: { capacity: number; maxBytes: number; sliceMs?: number; handle: (item: T) => void }) {
    this.#ring = new Array<T | undefined>(options.capacity);
    this.#maxBytes = options.maxBytes;
    this.#sliceMs = options.sliceMs ?? 10;
    this.#handle = options.handle;
  }

  get size(): number {
    return this.#size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Queues an item; false when the queue is full and the item was refused. */
  push(item: T): boolean {
    if (this.#size === this.#ring.length || this.#bytes + item.length > this.#maxBytes) return false;
    this.#ring[(this.#head + this.#size) % this.#ring.length] = item;
    this.#size++;
    this.#bytes += item.length;
    this.#scheduled ??= setImmediate(() => this.#drain());
    return true;
  }

  /** Settles once everything queued so far has been handled. */
  idle(): Promise<void> {
    if (this.#size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Handles everything queued, synchronously (shutdown). */
  drainAll(): void {
    this.#drain(Number.POSITIVE_INFINITY);
  }

  #drain(sliceMs = this.#sliceMs): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const deadline = performance.now() + sliceMs;
    let n = 0;
    while (this.#size > 0) {
      const item = this.#ring[this.#head] as T;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#ring.length;
      this.#size--;
      this.#bytes -= item.length;
      this.#handle(item);
      // Checking the clock every 32 items keeps its cost out of the per-packet budget.
      if ((++n & 31) === 0 && performance.now() > deadline) break;
    }
    if (this.#size > 0) {
      this.#scheduled = setImmediate(() => this.#drain());
      return;
    }
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
