import type { CaptureLimits } from './capture-limits.js';
import type { ProblemTally } from './problem-tally.js';
import { readStream, type StreamContext } from './stream-content.js';
import { StreamDirection, type Endpoints, type FrameStamp } from './stream-direction.js';

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04 } as const;

type Limits = Pick<CaptureLimits, 'maxTcpFlows' | 'maxFlowBytes' | 'maxTcpBytes' | 'maxPendingSegments'>;

// Sequence numbers wrap at 2^32 (RFC 9293 §3.4): compare them by their signed 32-bit difference.
const seqDiff = (a: number, b: number): number => (a - b) | 0;

/**
 * Follows TCP connections one direction at a time and hands their bytes, in sequence order, to the stream
 * reader. Retransmitted and overlapping bytes are trimmed; segments ahead of a gap wait (a bounded number)
 * for it to fill, and when it does not, the gap is skipped and the reader resynchronises on the next SIP
 * start line. Memory is bounded per direction, across directions, and in the number of directions.
 */
export class TcpStreams {
  readonly #flows = new Map<string, StreamDirection>();
  readonly #limits: Limits;
  readonly #tally: ProblemTally;
  readonly #ctx: StreamContext;
  #held = 0;

  constructor(limits: Limits, tally: ProblemTally, emit: StreamContext['emit']) {
    this.#limits = limits;
    this.#tally = tally;
    this.#ctx = { maxFlowBytes: limits.maxFlowBytes, tally, emit };
  }

  /** Bytes held across every direction, for the memory bound (and tests of it). */
  get heldBytes(): number {
    return this.#held;
  }

  get flows(): number {
    return this.#flows.size;
  }

  segment(ends: Endpoints, seq: number, flags: number, payload: Uint8Array, stamp: FrameStamp): void {
    const key = `${ends.src}|${ends.srcPort}|${ends.dst}|${ends.dstPort}`;
    let d = this.#flows.get(key);
    if (d !== undefined && (flags & TCP_FLAGS.SYN) !== 0 && d.next !== undefined && seqDiff(seq + 1, d.next) !== 0) {
      // A new connection on the same addresses and ports: start over.
      this.#drop(d, false);
      d = undefined;
    }
    if (d === undefined) {
      if (payload.length === 0 && (flags & TCP_FLAGS.SYN) === 0) return;
      if (this.#flows.size >= this.#limits.maxTcpFlows) this.#evictOldest();
      d = new StreamDirection(key, ends);
      this.#flows.set(key, d);
    } else {
      // Least recently active last: Map keeps insertion order, so eviction takes the first.
      this.#flows.delete(key);
      this.#flows.set(key, d);
    }
    d.stamp = stamp;
    const before = d.held;
    if ((flags & TCP_FLAGS.SYN) !== 0) d.next = (seq + 1) | 0;
    else if (payload.length > 0) this.#data(d, seq | 0, payload);
    this.#held += d.held - before;
    if ((flags & (TCP_FLAGS.FIN | TCP_FLAGS.RST)) !== 0) this.#drop(d, true);
    while (this.#held > this.#limits.maxTcpBytes && this.#flows.size > 0) this.#evictOldest();
  }

  /** At the end of the capture: a message still waiting for its end never got it. */
  finish(): void {
    for (const d of [...this.#flows.values()]) this.#drop(d, true);
  }

  #data(d: StreamDirection, seq: number, payload: Uint8Array): void {
    d.next ??= seq;
    let data = payload;
    let at = seqDiff(seq, d.next);
    if (at < 0) {
      // Bytes already seen: a retransmission, or a segment overlapping what came before.
      if (at + data.length <= 0) return;
      data = data.subarray(-at);
      at = 0;
    }
    if (at > 0) {
      this.#hold(d, seq, data);
      return;
    }
    this.#deliver(d, data);
    this.#drainPending(d);
  }

  #deliver(d: StreamDirection, data: Uint8Array): void {
    d.next = ((d.next ?? 0) + data.length) | 0;
    if (d.mode === 'other' && d.length === 0) d.mode = 'unknown';
    if (d.length === 0) {
      // The common case: whole messages in one segment, read in place without copying.
      const used = readStream(d, data, 0, data.length, this.#ctx);
      if (used < data.length && !d.append(data.subarray(used), this.#limits.maxFlowBytes)) this.#overflow(d);
      return;
    }
    if (!d.append(data, this.#limits.maxFlowBytes)) {
      this.#overflow(d);
      return;
    }
    const used = readStream(d, d.buf, 0, d.length, this.#ctx);
    d.consume(used);
  }

  #hold(d: StreamDirection, seq: number, data: Uint8Array): void {
    if (d.pending.length >= this.#limits.maxPendingSegments || d.pendingBytes + data.length > this.#limits.maxFlowBytes) {
      this.#skipGap(d);
      this.#data(d, seq, data);
      return;
    }
    d.pending.push({ seq, data: data.slice() });
    d.pendingBytes += data.length;
  }

  #drainPending(d: StreamDirection): void {
    for (let progress = true; progress && d.pending.length > 0; ) {
      progress = false;
      for (let i = 0; i < d.pending.length; i++) {
        const p = d.pending[i]!;
        const at = seqDiff(p.seq, d.next ?? p.seq);
        if (at > 0) continue;
        d.pending.splice(i, 1);
        d.pendingBytes -= p.data.length;
        if (at + p.data.length > 0) this.#deliver(d, p.data.subarray(-at));
        progress = true;
        break;
      }
    }
  }

  // The gap will not fill (the capture missed a segment): continue from the earliest held segment, dropping
  // the partial message before the gap, and look for the next SIP start line.
  #skipGap(d: StreamDirection): void {
    this.#tally.note('tcp-gap', 'a TCP connection is missing bytes in the capture; SIP messages across the gap were skipped', 'gap');
    d.reset('unknown');
    let earliest: number | undefined;
    for (const p of d.pending) if (earliest === undefined || seqDiff(p.seq, earliest) < 0) earliest = p.seq;
    if (earliest !== undefined) d.next = earliest;
    this.#drainPending(d);
  }

  #overflow(d: StreamDirection): void {
    this.#tally.note('tcp-too-large', `a SIP message over TCP longer than ${this.#limits.maxFlowBytes} bytes was skipped`, 'message');
    d.reset('unknown');
  }

  #drop(d: StreamDirection, report: boolean): void {
    // Segments still waiting behind a gap are all there will be: read past the gap before letting go.
    if (report && d.pending.length > 0) this.#skipGap(d);
    if (report && d.length > 0 && (d.mode === 'sip' || d.mode === 'ws')) {
      this.#tally.note('tcp-incomplete', 'a SIP message over TCP was cut off (the connection or the capture ended before its last byte)', 'message');
    }
    this.#held -= d.held;
    this.#flows.delete(d.key);
  }

  #evictOldest(): void {
    const oldest = this.#flows.values().next();
    if (oldest.done === true) return;
    if (oldest.value.held > 0) this.#tally.note('tcp-evicted', 'too many TCP connections at once: the least active were no longer followed', 'connection');
    this.#drop(oldest.value, false);
  }
}
