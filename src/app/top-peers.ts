/**
 * Bounded peer labels for metrics. Every peer address as a label would grow Prometheus' series without
 * bound (one per caller on the Internet), so only the busiest `limit` peers get their own label and
 * the rest share "other". Counts of unlabelled peers are kept for a bounded set of candidates; refresh()
 * (run on each scrape) promotes the busiest of them while there is room. A label, once given, is kept until
 * restart so that every series stays monotonic, as counters must (Prometheus data model).
 */
export class TopPeers {
  readonly #limit: number;
  readonly #maxCandidates: number;
  readonly #labelled = new Set<string>();
  #candidates = new Map<string, number>();

  constructor(limit: number, maxCandidates = Math.max(1000, limit * 20)) {
    this.#limit = limit;
    this.#maxCandidates = maxCandidates;
  }

  /** The label to count this peer under now. */
  label(peer: string | null): string {
    if (peer === null || peer === '') return 'unknown';
    if (this.#labelled.has(peer)) return peer;
    const n = this.#candidates.get(peer);
    if (n === undefined && this.#candidates.size >= this.#maxCandidates) this.#shrink();
    this.#candidates.set(peer, (n ?? 0) + 1);
    return 'other';
  }

  /** Promotes the busiest candidates while labels are free. */
  refresh(): void {
    if (this.#labelled.size >= this.#limit || this.#candidates.size === 0) return;
    const ranked = [...this.#candidates].sort((a, b) => b[1] - a[1]);
    for (const [peer] of ranked) {
      if (this.#labelled.size >= this.#limit) break;
      this.#labelled.add(peer);
      this.#candidates.delete(peer);
    }
  }

  get labelled(): ReadonlySet<string> {
    return this.#labelled;
  }

  // Keep the busier half: a peer seen once among thousands is not going to be a top peer.
  #shrink(): void {
    const ranked = [...this.#candidates].sort((a, b) => b[1] - a[1]);
    this.#candidates = new Map(ranked.slice(0, Math.floor(this.#maxCandidates / 2)));
  }
}
