import { MAX_DATAGRAM } from './capture-limits.js';
import type { ProblemTally } from './problem-tally.js';

interface Pending {
  readonly firstPacket: number;
  readonly pieces: { readonly offset: number; readonly data: Uint8Array }[];
  /** Known once the last fragment (more-fragments clear) has been seen. */
  total: number;
  bytes: number;
}

const MAX_PIECES = 64;

/**
 * Puts fragmented IP datagrams back together (RFC 791 §3.2, RFC 8200 §4.5), keyed by addresses, protocol and
 * identification. Memory is bounded: at most `maxPending` datagrams wait, none past 65,535 bytes or 64
 * pieces, and one that is still incomplete `timeoutPackets` packets after its first fragment is dropped —
 * a timeout counted in packets, since a capture's clock says nothing about how long a reader should wait.
 */
export class FragmentReassembler {
  readonly #pending = new Map<string, Pending>();
  readonly #maxPending: number;
  readonly #timeoutPackets: number;
  readonly #tally: ProblemTally;

  constructor(options: { maxPending: number; timeoutPackets: number }, tally: ProblemTally) {
    this.#maxPending = options.maxPending;
    this.#timeoutPackets = options.timeoutPackets;
    this.#tally = tally;
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Adds a fragment; returns the whole datagram's payload when this fragment completes it. */
  add(key: string, offset: number, more: boolean, data: Uint8Array, packet: number): Uint8Array | undefined {
    if (offset + data.length > MAX_DATAGRAM) {
      this.#tally.note('fragment-too-large', 'dropped an IP fragment that would make a datagram over 65,535 bytes');
      return undefined;
    }
    let entry = this.#pending.get(key);
    if (entry === undefined) {
      if (this.#pending.size >= this.#maxPending) this.#dropOldest();
      entry = { firstPacket: packet, pieces: [], total: -1, bytes: 0 };
      this.#pending.set(key, entry);
    }
    if (entry.pieces.length >= MAX_PIECES) {
      this.#pending.delete(key);
      this.#tally.note('fragment-incomplete', 'an IP datagram whose fragments never all arrived was dropped', 'datagram');
      return undefined;
    }
    // Copied: the frame's memory is reused once this call returns.
    entry.pieces.push({ offset, data: data.slice() });
    entry.bytes += data.length;
    if (!more) entry.total = offset + data.length;
    if (entry.total === -1 || entry.bytes < entry.total) return undefined;
    const whole = assemble(entry);
    if (whole !== undefined) this.#pending.delete(key);
    return whole;
  }

  /** Drops datagrams that have waited too long; call now and then with the current packet number. */
  expire(packet: number): void {
    for (const [key, entry] of this.#pending) {
      if (packet - entry.firstPacket <= this.#timeoutPackets) continue;
      this.#pending.delete(key);
      this.#tally.note('fragment-incomplete', 'an IP datagram whose fragments never all arrived was dropped', 'datagram');
    }
  }

  /** At the end of the capture: whatever is still waiting will never be whole. */
  finish(): void {
    for (let i = 0; i < this.#pending.size; i++) {
      this.#tally.note('fragment-incomplete', 'an IP datagram whose fragments never all arrived was dropped', 'datagram');
    }
    this.#pending.clear();
  }

  #dropOldest(): void {
    const oldest = this.#pending.keys().next();
    if (oldest.done === true) return;
    this.#pending.delete(oldest.value);
    this.#tally.note('fragment-incomplete', 'an IP datagram whose fragments never all arrived was dropped', 'datagram');
  }
}

// Fragments may arrive in any order and may overlap (a resent piece); where they overlap, the piece that starts
// earlier wins, which is what matters here: that the result is deterministic and within bounds.
function assemble(entry: Pending): Uint8Array | undefined {
  const pieces = [...entry.pieces].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const p of pieces) {
    if (p.offset > covered) return undefined;
    covered = Math.max(covered, p.offset + p.data.length);
  }
  if (covered < entry.total) return undefined;
  const out = new Uint8Array(entry.total);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    out.set(p.data.subarray(0, Math.max(0, Math.min(p.data.length, entry.total - p.offset))), p.offset);
  }
  return out;
}
