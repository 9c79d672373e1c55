import { randomBytes } from 'node:crypto';
import { decodeAnswer } from '../core/probe/probe-answer.js';
import { buildAck, buildCancel, buildRequest, type RequestParts } from '../core/probe/probe-message.js';
import type { AttemptOutcome } from '../core/probe/probe-report.js';
import { sendSchedule, T2_MS } from '../core/probe/transaction-timers.js';
import type { SipMessage } from '../core/sip/message.js';
import { monotonicMs, type ChannelEvent, type SipChannel } from './sip-channel.js';

export interface TransactionResult {
  /** ms after the first send, as measured. */
  readonly sends: readonly number[];
  readonly outcome: AttemptOutcome;
  readonly final?: SipMessage;
}

/**
 * One client transaction (RFC 3261 §17.1): sends on the RFC's schedule (Timer E for non-INVITE, A for
 * INVITE, over UDP only), matches answers by the top Via branch and CSeq method (§17.1.3), and ends on a
 * final answer, on Timer F/B (reported as 408), on a transport failure, or on junk from a stream.
 * An INVITE (the dry probe) is cancelled on its first provisional answer (§9.1) and its final answer ACKed.
 */
export function runTransaction(channel: SipChannel, parts: RequestParts, timeoutMs: number): Promise<TransactionResult> {
  const text = buildRequest(parts);
  const started = monotonicMs();
  const sends: number[] = [];
  const provisional: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let junk: { bytes: number; message: string } | undefined;
  let cancelled = false;

  return new Promise<TransactionResult>((resolve) => {
    let done = false;
    const finish = (outcome: AttemptOutcome, final?: SipMessage): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      resolve({ sends, outcome, ...(final === undefined ? {} : { final }) });
    };
    const later = (ms: number, fn: () => void): void => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, Math.max(0, ms));
      timers.add(t);
    };
    const sendAt = (offsets: readonly number[]): void => {
      for (const at of offsets) later(at - (monotonicMs() - started), () => {
        if (done) return;
        sends.push(Math.round(monotonicMs() - started));
        channel.send(text);
      });
    };
    const stopRetransmits = (): void => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      later(timeoutMs - (monotonicMs() - started), timeout);
    };
    const timeout = (): void => finish(junk === undefined ? { kind: 'timeout', afterMs: Math.round(monotonicMs() - started) } : { kind: 'junk', ...junk });

    channel.onEvent((event: ChannelEvent) => {
      if (done) return;
      if (event.kind === 'error') return finish({ kind: 'transport-error', code: event.code, message: event.message });
      if (event.kind === 'junk') {
        junk = { bytes: event.bytes, message: event.message };
        // A stream that carried junk is closed; on UDP a stray datagram does not end the transaction.
        if (parts.transport !== 'udp') finish({ kind: 'junk', ...junk });
        return;
      }
      const m = event.message;
      if (m.topVia?.branch !== `z9hG4bK${parts.branch}` || m.cseq?.method !== parts.method) return;
      const status = m.status ?? 0;
      if (status < 200) {
        if (!provisional.includes(status)) provisional.push(status);
        if (parts.method === 'INVITE') {
          // Timer A stops on a provisional answer (§17.1.1.2); a dry INVITE is cancelled as soon as one arrives.
          stopRetransmits();
          if (!cancelled) {
            cancelled = true;
            channel.send(buildCancel(parts));
          }
        } else if (parts.transport === 'udp') {
          // §17.1.2.2: in Proceeding, a non-INVITE request is retransmitted every T2.
          stopRetransmits();
          const elapsed = monotonicMs() - started;
          const next: number[] = [];
          for (let at = elapsed + T2_MS; at < timeoutMs; at += T2_MS) next.push(at);
          sendAt(next);
        }
        return;
      }
      if (parts.method === 'INVITE') endInvite(channel, parts, m);
      const at = event.at - started;
      const last = [...sends].reverse().find((s) => s <= at) ?? 0;
      finish({ kind: 'answer', answer: decodeAnswer(m), rttMs: at, rttLastSendMs: at - last, provisional }, m);
    });

    sendAt(sendSchedule(parts.method, parts.transport, timeoutMs));
    later(timeoutMs, timeout);
  });
}

/**
 * A final answer to the dry INVITE: non-2xx is ACKed inside the transaction (§17.1.1.3). A 2xx means the
 * CANCEL lost the race and a call was set up: ACK it (§13.2.2.4) and hang up at once with BYE (§15.1.1).
 */
function endInvite(channel: SipChannel, parts: RequestParts, answer: SipMessage): void {
  const to = answer.get('To') ?? '';
  const status = answer.status ?? 0;
  if (status >= 300) return channel.send(buildAck(parts, to));
  const contact = answer.contacts[0]?.uriText ?? parts.uri;
  const ack = buildAck({ ...parts, uri: contact, branch: randomBytes(8).toString('hex') }, to);
  channel.send(ack);
  const bye = buildAck({ ...parts, uri: contact, branch: randomBytes(8).toString('hex'), cseq: parts.cseq + 1 }, to)
    .replace(/^ACK /, 'BYE ')
    .replace(/CSeq: (\d+) ACK/, 'CSeq: $1 BYE');
  channel.send(bye);
}
