import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../src/core/sip/parse-message.js';
import type { SipMessage } from '../../src/core/sip/message.js';
import { OpenCalls, type CompletedCall } from '../../src/ingest/open-calls.js';
import { rawMessages, rawPayloads } from './raw-fixtures.js';

const timers = { graceMs: 4000, unansweredMs: 40_000, ringingMs: 200_000, lateMs: 32_000 };

function table(maxCalls = 1000): { calls: OpenCalls; done: CompletedCall[]; discarded: string[] } {
  const done: CompletedCall[] = [];
  const discarded: string[] = [];
  const calls = new OpenCalls({ maxCalls, timers, onComplete: (c) => done.push(c), onDiscard: (id) => discarded.push(id) });
  return { calls, done, discarded };
}

function parse(text: string): SipMessage {
  const r = parseSipMessage(text);
  if (!r.ok) throw new Error('fixture did not parse');
  return r.message;
}

describe('OpenCalls', () => {
  it('holds a call through a proxy until its final response has been quiet for the grace period', () => {
    const { calls, done } = table();
    const messages = rawMessages('14-kamailio-486');
    messages.forEach((m, i) => expect(calls.add(m, 1000 + i * 10)).toBe('new'));
    calls.sweep(1000 + 9 * 10 + timers.graceMs - 1);
    expect(done).toHaveLength(0);
    calls.sweep(1000 + 9 * 10 + timers.graceMs);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ reason: 'final', callId: messages[0]?.callId });
    expect(done[0]?.messages).toHaveLength(10);
    expect(calls.size).toBe(0);
  });

  it('recognises a retransmitted final response and keeps the call open while copies arrive', () => {
    const { calls, done } = table();
    const messages = rawMessages('03-unavailable-503');
    const results = messages.map((m, i) => calls.add(m, i * 1000));
    expect(results.filter((r) => r === 'retransmission').length).toBeGreaterThan(0);
    expect(results.every((r) => r === 'new' || r === 'retransmission')).toBe(true);
    calls.sweep(messages.length * 1000 + timers.graceMs);
    expect(done).toHaveLength(1);
  });

  it('treats copies after the close as late, and a new transaction under the same Call-ID as a new call', () => {
    const { calls, done } = table();
    const messages = rawMessages('01-success-200').filter((m) => m.callId === rawMessages('01-success-200')[0]?.callId);
    const invite = messages.filter((m) => m.cseq?.method === 'INVITE' || m.method === 'ACK');
    const bye = messages.filter((m) => m.cseq?.method === 'BYE');
    for (const m of invite) calls.add(m, 0);
    calls.sweep(timers.graceMs);
    expect(done).toHaveLength(1);
    const final = invite.find((m) => (m.status ?? 0) >= 200);
    expect(calls.add(final as SipMessage, timers.graceMs + 10)).toBe('late');
    expect(bye.length).toBeGreaterThan(0);
    expect(calls.add(bye[0] as SipMessage, timers.graceMs + 20)).toBe('new');
  });

  it('gives up on an unanswered call after Timer B, and on a ringing one only after Timer C', () => {
    const { calls, done } = table();
    const [invite, trying, ringing] = rawMessages('14-kamailio-486');
    const silent = parse(rawPayloads('10-not-found-404', '-silent')[0] ?? '');
    calls.add(silent, 0);
    calls.add(invite as SipMessage, 0);
    calls.add(trying as SipMessage, 1);
    calls.add(ringing as SipMessage, 2);
    calls.sweep(timers.unansweredMs);
    expect(done.map((c) => [c.callId, c.reason])).toEqual([[silent.callId, 'timeout']]);
    calls.sweep(timers.ringingMs);
    expect(done.map((c) => c.reason)).toEqual(['timeout', 'timeout']);
  });

  it('stays within its bound under a flood of new calls, closing or discarding the oldest', () => {
    const { calls, done, discarded } = table(100);
    const template = rawPayloads('10-not-found-404');
    for (let i = 0; i < 250; i++) for (const text of template) calls.add(parse(text.split('@').join(`-${i}@`)), i);
    expect(calls.size).toBeLessThanOrEqual(100);
    expect(done.length + discarded.length).toBe(150);
    expect(done.every((c) => c.reason === 'evicted')).toBe(true);
  });

  it('caps the messages of one call', () => {
    const { calls } = table();
    const [text = ''] = rawPayloads('10-not-found-404');
    const results = Array.from({ length: 80 }, (_, i) => calls.add(parse(text.replace(/branch=([^;\r\n]+)/, `branch=$1-${i}`)), i));
    expect(results.filter((r) => r === 'new')).toHaveLength(64);
    expect(results.filter((r) => r === 'full')).toHaveLength(16);
  });

  it('on shutdown completes calls that have their final response and discards the rest', () => {
    const { calls, done, discarded } = table();
    for (const m of rawMessages('02-busy-486')) calls.add(m, 0);
    calls.add(parse(rawPayloads('10-not-found-404', '-open')[0] ?? ''), 0);
    calls.flush(1);
    expect(done.map((c) => c.reason)).toEqual(['flush']);
    expect(discarded).toHaveLength(1);
  });
});
