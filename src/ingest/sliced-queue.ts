/**
 * The ingest path's own bounded FIFOs: packets between the sockets and the parser, and completed calls
 * waiting for triage. Receiving is cheap and processing is not, so under overload work waits here, and once
 * a queue is full (by count or weight, e.g. bytes) new items are refused for the caller to count as
 * dropped: memory stays bounded whatever arrives. Each queue is drained in slices of about `sliceMs`,
 * yielding to the event loop in between, so HTTP requests, the chat adapters and the sockets are served
 * while a burst is being worked off. Slices are short because libuv reads at most 32 datagrams from a UDP
 * socket per turn of the loop (uv__udp_recvmsg): a long slice would leave the kernel buffer to overflow.
 * Nothing outside ingest shares these queues.
 */
export class SlicedQueue<T> {
  readonly #ring: (T | undefined)[];
  readonly #maxBytes: number;
  readonly #sliceMs: number;
  readonly #handle: (item: T) => void;
  readonly #weight: (item: T) => number;
  #head = 0;
  #size = 0;
  #bytes = 0;
  #scheduled: NodeJS.Immediate | undefined;
  #idle: (() => void)[] = [];

  constructor(options: { capacity: number; maxWeight: number; weight: (item: T) => number; sliceMs?: number; handle: (item: T) => void }) {
    this.#ring = new Array<T | undefined>(options.capacity);
    this.#maxBytes = options.maxWeight;
    this.#weight = options.weight;
    this.#sliceMs = options.sliceMs ?? 1;
    this.#handle = options.handle;
  }

  get size(): number {
    return this.#size;
  }

  /** Total weight queued (bytes, for packets). */
  get weight(): number {
    return this.#bytes;
  }

  /** Queues an item; false when the queue is full and the item was refused. */
  push(item: T): boolean {
    const w = this.#weight(item);
    if (this.#size === this.#ring.length || this.#bytes + w > this.#maxBytes) return false;
    this.#ring[(this.#head + this.#size) % this.#ring.length] = item;
    this.#size++;
    this.#bytes += w;
    this.#scheduled ??= setImmediate(() => this.#drain());
    return true;
  }

  /** Settles once the queue has been emptied (with whatever arrived meanwhile). */
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
      this.#bytes -= this.#weight(item);
      this.#handle(item);
      // Checking the clock every 8 items keeps its cost out of the per-item budget.
      if ((++n & 7) === 0 && performance.now() > deadline) break;
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
