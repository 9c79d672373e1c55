import type { Socket } from 'node:net';
import type { HepTcpCloseReason, Metrics } from '../ports/metrics.js';
import type { HepTcpLimits } from './ingest-config.js';

/**
 * The HEP TCP connections open now, ordered by their last activity so that the front is the quietest. A
 * connection that says nothing for `idleMs`, or holds half a frame for `frameMs`, is closed; at the limit
 * the quietest one makes room for the newcomer. So sockets that never send a byte cannot lock a real agent
 * out: a busy agent is always at the back. Each close is counted by reason.
 */
export class HepTcpConnections {
  readonly #open = new Map<Socket, { frameTimer: NodeJS.Timeout | undefined }>();
  readonly #limits: HepTcpLimits;
  readonly #metrics: Metrics;

  constructor(limits: HepTcpLimits, metrics: Metrics) {
    this.#limits = limits;
    this.#metrics = metrics;
  }

  get size(): number {
    return this.#open.size;
  }

  admit(socket: Socket): void {
    while (this.#open.size >= this.#limits.maxConnections) {
      const quietest = this.#open.keys().next().value;
      if (quietest === undefined) break;
      this.close(quietest, 'evicted');
    }
    this.#open.set(socket, { frameTimer: undefined });
    socket.setTimeout(this.#limits.idleMs, () => this.close(socket, 'idle'));
    socket.once('close', () => this.#forget(socket));
  }

  /** Bytes arrived: the connection moves to the back; a partial frame starts (or keeps) its deadline. */
  active(socket: Socket, partialFrame: boolean): void {
    const entry = this.#open.get(socket);
    if (entry === undefined) return;
    this.#open.delete(socket);
    this.#open.set(socket, entry);
    if (!partialFrame) {
      if (entry.frameTimer !== undefined) clearTimeout(entry.frameTimer);
      entry.frameTimer = undefined;
    } else entry.frameTimer ??= setTimeout(() => this.close(socket, 'incomplete-frame'), this.#limits.frameMs).unref();
  }

  close(socket: Socket, reason: HepTcpCloseReason): void {
    if (!this.#open.has(socket)) return;
    this.#forget(socket);
    this.#metrics.hepTcpClosed(reason);
    socket.destroy();
  }

  closeAll(): void {
    for (const socket of [...this.#open.keys()]) {
      this.#forget(socket);
      socket.destroy();
    }
  }

  #forget(socket: Socket): void {
    const entry = this.#open.get(socket);
    if (entry?.frameTimer !== undefined) clearTimeout(entry.frameTimer);
    this.#open.delete(socket);
  }
}
