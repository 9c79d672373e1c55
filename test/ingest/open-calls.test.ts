import { describe, expect, it } from 'vitest';
import { peekSipMessage } from '../../src/core/sip/peek-message.js';
import type { SipPeek } from '../../src/core/sip/peek-message.js';
import type { HeldMessage } from '../../src/ingest/held-message.js';
import { OpenCalls, type AddResult, type CompletedCall } from '../../src/ingest/open-calls.js';
import { rawPayloads } from './raw-fixtures.js';

const timers = { graceMs: 4000, unansweredMs: 40_000, ringingMs: 200_000, lateMs: 32_000 };

function table(maxCalls = 1000): { calls: OpenCalls; done: CompletedCall[]; discarded: string[] } {
  const done: CompletedCall[] = [];
  const discarded: string[] = [];
  const calls = new OpenCalls({ maxCalls, timers, onComplete: (c) => done.push(c), onDiscard: (id) => discarded.push(id) });
  return { calls, done, discarded };
}

interface Msg {
  readonly peek: SipPeek;
  readonly held: HeldMessage;
}

function parse(text: string): Msg {
  const peek = peekSipMessage(text);
  if (peek === undefined) throw new Error('fixture did not peek');
  return { peek, held: { packet: Buffer.from(text), method: peek.method, status: peek.status, cseq: peek.cseq } };
}

function put(calls: OpenCalls, m: Msg, now: number): AddResult {
  return calls.add(m.peek.callId, m.peek.key, m.held, now);
}

function rawMessages(set: string): Msg[] {
  return rawPayloads(set).map(parse);
}

describe('OpenCalls', () => {
  it('holds a call through a proxy until its final response has been quiet for the grace period', () => {
    const { calls, done } = table();
    const messages = rawMessages('14-kamailio-486');
    messages.forEach((m, i) => expect(put(calls, m, 1000 + i * 10)).toBe('new'));
    calls.sweep(1000 + 9 * 10 + timers.graceMs - 1);
    expect(done).toHaveLength(0);
    calls.sweep(1000 + 9 * 10 + timers.graceMs);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ reason: 'final', callId: messages[0]?.peek.callId });
    expect(done[0]?.messages).toHaveLength(10);
    expect(calls.size).toBe(0);
  });

  it('closes a call whose final response is its last packet (no ACK captured) on the grace timer', () => {
    const { calls, done } = table();
    const messages = rawMessages('14-kamailio-486');
    const last = messages.findIndex((m) => (m.peek.status ?? 0) >= 200);
    const upToFinal = messages.slice(0, last + 1);
    upToFinal.forEach((m, i) => put(calls, m, 1000 + i * 10));
    const at = 1000 + last * 10;
    calls.sweep(at + timers.graceMs - 1);
    expect(done).toHaveLength(0);
    calls.sweep(at + timers.graceMs);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ reason: 'final' });
  });

  it('recognises a retransmitted final response and keeps the call open while copies arrive', () => {
    const { calls, done } = table();
    const messages = rawMessages('03-unavailable-503');
    const results = messages.map((m, i) => put(calls, m, i * 1000));
    expect(results.filter((r) => r === 'retransmission').length).toBeGreaterThan(0);
    expect(results.every((r) => r === 'new' || r === 'retransmission')).toBe(true);
    calls.sweep(messages.length * 1000 + timers.graceMs);
    expect(done).toHaveLength(1);
    // The copies stay with the call: the triage rules read retransmissions as evidence.
    expect(done[0]?.messages).toHaveLength(messages.length);
  });

  it('treats copies after the close as late, and a new transaction under the same Call-ID as a new call', () => {
    const { calls, done } = table();
    const messages = rawMessages('01-success-200').filter((m) => m.peek.callId === rawMessages('01-success-200')[0]?.peek.callId);
    const invite = messages.filter((m) => m.peek.cseq?.method === 'INVITE' || m.peek.method === 'ACK');
    const bye = messages.filter((m) => m.peek.cseq?.method === 'BYE');
    for (const m of invite) put(calls, m, 0);
    calls.sweep(timers.graceMs);
    expect(done).toHaveLength(1);
    const final = invite.find((m) => (m.peek.status ?? 0) >= 200);
    expect(put(calls, final as Msg, timers.graceMs + 10)).toBe('late');
    expect(bye.length).toBeGreaterThan(0);
    expect(put(calls, bye[0] as Msg, timers.graceMs + 20)).toBe('new');
  });

  it('gives up on an unanswered call after Timer B, and on a ringing one only after Timer C', () => {
    const { calls, done } = table();
    const [invite, trying, ringing] = rawMessages('14-kamailio-486');
    const silent = parse(rawPayloads('10-not-found-404', '-silent')[0] ?? '');
    put(calls, silent, 0);
    put(calls, invite as Msg, 0);
    put(calls, trying as Msg, 1);
    put(calls, ringing as Msg, 2);
    calls.sweep(timers.unansweredMs);
    expect(done.map((c) => [c.callId, c.reason])).toEqual([[silent.peek.callId, 'timeout']]);
    calls.sweep(timers.ringingMs);
    expect(done.map((c) => c.reason)).toEqual(['timeout', 'timeout']);
  });

  it('stays within its bound under a flood of new calls, closing or discarding the oldest', () => {
    const { calls, done, discarded } = table(100);
    const template = rawPayloads('10-not-found-404');
    for (let i = 0; i < 250; i++) for (const text of template) put(calls, parse(text.split('@').join(`-${i}@`)), i);
    expect(calls.size).toBeLessThanOrEqual(100);
    expect(done.length + discarded.length).toBe(150);
    expect(done.every((c) => c.reason === 'evicted')).toBe(true);
  });

  it('caps the messages of one call', () => {
    const { calls } = table();
    const [text = ''] = rawPayloads('10-not-found-404');
    const results = Array.from({ length: 80 }, (_, i) => put(calls, parse(text.replace(/branch=([^;\r\n]+)/, `branch=$1-${i}`)), i));
    expect(results.filter((r) => r === 'new')).toHaveLength(64);
    expect(results.filter((r) => r === 'full')).toHaveLength(16);
  });

  it('on shutdown completes calls that have their final response and discards the rest', () => {
    const { calls, done, discarded } = table();
    for (const m of rawMessages('02-busy-486')) put(calls, m, 0);
    put(calls, parse(rawPayloads('10-not-found-404', '-open')[0] ?? ''), 0);
    calls.flush(1);
    expect(done.map((c) => c.reason)).toEqual(['flush']);
    expect(discarded).toHaveLength(1);
  });
});
