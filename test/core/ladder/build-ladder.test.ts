import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/core/engine.js';
import { buildLadder } from '../../../src/core/ladder/build-ladder.js';
import { Redactor } from '../../../src/core/redact.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';

const engine = createEngine(defaultKnowledge());
const raw = (set: string): string => readFileSync(new URL(`../../fixtures/traces/raw/${set}.sip`, import.meta.url), 'utf8');
const capture = (name: string): Uint8Array => readFileSync(new URL(`../../fixtures/captures/${name}`, import.meta.url));

describe('buildLadder', () => {
  it('puts failing calls first, keeping trace order otherwise', () => {
    const report = engine.triage(raw('01-success-200') + raw('02-busy-486') + raw('09-timeout-no-answer')).report;
    const ladder = buildLadder(report);
    expect(ladder.calls.map((c) => [c.outcome, c.callId])).toEqual([
      ['failed', '1-ff1a57597bee484b@uac.example.com'],
      ['no-final', '1-31fc4ed97b48735f@uac.example.com'],
      ['answered', '1-812b68f66e8965fa@uac.example.com'],
      ['answered', '2-812b68f66e8965fa@uac.example.com'],
    ]);
    expect(ladder.note).toBeUndefined();
  });

  it('caps the arrows across calls and says what was left out', () => {
    const report = engine.triage(raw('01-success-200') + raw('02-busy-486')).report;
    const ladder = buildLadder(report, { maxArrows: 8 });
    expect(ladder.calls.map((c) => [c.arrows.length, c.omittedArrows])).toEqual([
      [5, 0],
      [3, 4],
    ]);
    expect(ladder.note).toBe('8 of 19 messages drawn (at most 8, failing calls first); 11 left out, 1 whole call among them');
  });

  it('draws one call by Call-ID, or says there is none', () => {
    const report = engine.triage(raw('01-success-200')).report;
    expect(buildLadder(report, { callId: '2-812b68f66e8965fa@uac.example.com' }).calls.map((c) => c.callId)).toEqual(['2-812b68f66e8965fa@uac.example.com']);
    const none = buildLadder(report, { callId: 'nope' });
    expect(none.calls).toEqual([]);
    expect(none.note).toBe('no call with Call-ID nope in this trace');
  });

  it('keeps only failing calls when asked (the console after a triage)', () => {
    const report = engine.triage(raw('01-success-200') + raw('02-busy-486')).report;
    expect(buildLadder(report, { failingOnly: true }).calls.map((c) => c.title)).toEqual(['INVITE → 486 Busy Here (failed)']);
  });

  it('names hosts by address and port from the capture and by the product they announced', () => {
    const [call] = buildLadder(engine.triageBytes(capture('15-kamailio-503.pcapng')).report).calls;
    expect(call?.hosts).toEqual([
      { address: '127.0.0.1:5215', product: 'SIPp/3.6.1' },
      { address: '127.0.0.1:5160', product: 'kamailio' },
      { address: '127.0.0.1:5115', product: 'Kamailio' },
    ]);
    expect(call?.arrows.map((a) => `${a.from}→${a.to} ${a.label}${a.highlight === undefined ? '' : ` [${a.highlight}]`}${a.retransmission ? ' (re)' : ''}`)).toEqual([
      '0→1 INVITE (SDP) [failed-request]',
      '1→0 100 trying -- your call is important to us',
      '1→2 INVITE (SDP) [failed-request]',
      '2→1 503 Service Unavailable [failure]',
      '1→2 ACK',
      '1→0 500 Service Unavailable [failure]',
      '1→0 500 Service Unavailable (re)',
      '0→1 ACK',
    ]);
  });

  it('without packet addresses (a raw paste), places hosts from Via and the proxy that forwarded the request', () => {
    const [fromText] = buildLadder(engine.triage(raw('15-kamailio-503')).report).calls;
    const [fromCapture] = buildLadder(engine.triageBytes(capture('15-kamailio-503.pcapng')).report).calls;
    expect(fromText?.hosts.map((h) => h.address)).toEqual(fromCapture?.hosts.map((h) => h.address));
    expect(fromText?.arrows.map((a) => [a.from, a.to])).toEqual(fromCapture?.arrows.map((a) => [a.from, a.to]));
    expect(fromText?.arrows.every((a) => a.offsetMs === undefined)).toBe(true);
  });

  it('shows addresses and Call-IDs through the redactor when given one', () => {
    const redactor = new Redactor({ numbers: true, addresses: true });
    const report = engine.triageBytes(capture('18-fragmented-udp.pcap')).report;
    const [call] = buildLadder(report, { redactor }).calls;
    expect(call?.hosts.map((h) => h.address)).toEqual(['private-1:5060', 'private-2:5060']);
    expect(JSON.stringify(call)).not.toContain('10.77.0.');
  });
});
