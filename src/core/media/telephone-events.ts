import type { RtpHeader } from './rtp-header.js';

/** One key press sent as an RFC 4733 named event. */
export interface TelephoneEvent {
  /** 0–9, *, #, A–D, or "event N" for the other named events (flash, tones). */
  readonly key: string;
  readonly at: number;
  /** From the event's duration field, in milliseconds of the payload clock. */
  readonly durationMs: number;
  /** Whether an end-of-event packet was seen (RFC 4733 §2.5.1.4); a lost end leaves the tone hanging. */
  readonly ended: boolean;
}

const KEYS = '0123456789*#ABCD';
const MAX_EVENTS = 64;

/**
 * Collects the events of one stream. An event is one RTP timestamp (RFC 4733 §2.5.1.2): its packets repeat
 * it with a growing duration, and the end packet is sent three times.
 */
export class TelephoneEvents {
  readonly events: TelephoneEvent[] = [];
  dropped = 0;
  #timestamp = -1;

  add(b: Uint8Array, h: RtpHeader, timeMs: number, clockRate: number): void {
    if (h.payloadLength < 4) return;
    const at = h.payloadOffset;
    const code = b[at]!;
    const ended = (b[at + 1]! & 0x80) !== 0;
    const duration = (b[at + 2]! << 8) | b[at + 3]!;
    const durationMs = Math.round((duration * 1000) / (clockRate || 8000));
    const key = code < KEYS.length ? KEYS[code]! : `event ${code}`;
    if (h.timestamp !== this.#timestamp) {
      this.#timestamp = h.timestamp;
      if (this.events.length >= MAX_EVENTS) {
        this.dropped++;
        return;
      }
      this.events.push({ key, at: timeMs, durationMs, ended });
      return;
    }
    const last = this.events[this.events.length - 1];
    if (last === undefined || last.key !== key) return;
    if (durationMs > last.durationMs || (ended && !last.ended)) {
      this.events[this.events.length - 1] = { key, at: last.at, durationMs: Math.max(durationMs, last.durationMs), ended: last.ended || ended };
    }
  }
}
