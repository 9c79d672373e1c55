import type { SipMessage } from '../core/sip/message.js';

/** What a channel reports: a SIP message, bytes that are not SIP, or the transport failing. */
export type ChannelEvent =
  | { readonly kind: 'message'; readonly message: SipMessage; readonly at: number }
  | { readonly kind: 'junk'; readonly bytes: number; readonly message: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/**
 * One transport connection (or UDP socket) to one target, for the length of a probe: REGISTER's challenge
 * and unregister, and INVITE's CANCEL and ACK, go over the same one, as RFC 3261 §18 expects.
 */
export interface SipChannel {
  /** The address and port requests announce in Via and Contact. */
  readonly local: { readonly host: string; readonly port: number };
  send(text: string): void;
  onEvent(listener: (event: ChannelEvent) => void): void;
  close(): void;
}

export const monotonicMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;
