import type { CSeq } from '../core/sip/cseq.js';

interface Closed {
  readonly method: string;
  readonly seq: number;
  readonly until: number;
}

/**
 * Calls closed recently, so that copies arriving after the close (a final response retransmitted until
 * the ACK gets through, the ACK itself, a late CANCEL) are not taken for a new call and counted twice.
 * A new transaction under the same Call-ID (the BYE, a REGISTER refresh with a higher CSeq) is not late.
 * Bounded: entries expire after `ttlMs`, and the oldest go first when full.
 */
export class RecentCalls {
  readonly #closed = new Map<string, Closed>();
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(max: number, ttlMs: number) {
    this.#max = max;
    this.#ttlMs = ttlMs;
  }

  add(callId: string, method: string, seq: number, now: number): void {
    this.#closed.delete(callId);
    if (this.#closed.size >= this.#max) {
      const oldest = this.#closed.keys().next().value;
      if (oldest !== undefined) this.#closed.delete(oldest);
    }
    this.#closed.set(callId, { method, seq, until: now + this.#ttlMs });
  }

  isLate(callId: string, m: { readonly cseq: CSeq | undefined }, now: number): boolean {
    const closed = this.#closed.get(callId);
    if (closed === undefined || closed.until <= now) return false;
    const cseq = m.cseq;
    if (cseq === undefined || cseq.seq > closed.seq) return false;
    if (cseq.method === closed.method) return true;
    // ACK and CANCEL carry the CSeq number of the INVITE they belong to (RFC 3261 §17.1.1.3, §9.1).
    return closed.method === 'INVITE' && (cseq.method === 'ACK' || cseq.method === 'CANCEL');
  }

  sweep(now: number): void {
    for (const [id, c] of this.#closed) {
      if (c.until > now) break;
      this.#closed.delete(id);
    }
  }
}
