import type { ProbeMethod } from './probe-request.js';
import type { ProbeTransport } from './probe-target.js';

/** RFC 3261 §17.1.1.1: T1, the RTT estimate (500 ms), and T2, the longest retransmit interval for non-INVITE (4 s). */
export const T1_MS = 500;
export const T2_MS = 4_000;
/** Timer F (non-INVITE) and Timer B (INVITE): 64×T1, after which the client gives up and reports 408 (§8.1.3.1). */
export const TIMER_F_MS = 64 * T1_MS;

/**
 * When the request is sent, in ms after the first send, over a transport: UDP retransmits on Timer E
 * (non-INVITE, §17.1.2.2: T1 doubling up to T2 — 0.5, 1, 2, 4, 4… s apart) or Timer A (INVITE, §17.1.1.2:
 * doubling without a cap); TCP and TLS never retransmit, the transport is reliable (§17.1.2.2).
 */
export function sendSchedule(method: ProbeMethod, transport: ProbeTransport, timeoutMs: number): number[] {
  const sends = [0];
  if (transport !== 'udp') return sends;
  let interval = T1_MS;
  let at = interval;
  while (at < timeoutMs) {
    sends.push(at);
    interval = method === 'INVITE' ? interval * 2 : Math.min(interval * 2, T2_MS);
    at += interval;
  }
  return sends;
}

/**
 * After a provisional response a non-INVITE client over UDP keeps retransmitting, but every T2 (§17.1.2.2);
 * an INVITE client stops (Timer A is cancelled on 1xx, §17.1.1.2).
 */
export function scheduleAfterProvisional(method: ProbeMethod, sentAt: readonly number[], provisionalAt: number, timeoutMs: number): number[] {
  const before = sentAt.filter((t) => t <= provisionalAt);
  if (method === 'INVITE') return before;
  const after: number[] = [];
  const last = before[before.length - 1] ?? 0;
  for (let at = last + T2_MS; at < timeoutMs; at += T2_MS) after.push(at);
  return [...before, ...after];
}
