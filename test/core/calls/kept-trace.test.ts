import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptTraceText } from '../../../src/core/calls/kept-trace.js';
import { createEngine } from '../../../src/core/engine.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

const engine = createEngine(loadKnowledge(), { maxTraceBytes: 1 << 20, redact: { numbers: false, addresses: false } });

describe('keptTraceText', () => {
  it('writes kept messages so the trace readers take back their times, addresses and text: the same triage as the original', () => {
    const original = engine.triage(readFileSync(join(import.meta.dirname, '../../fixtures/legs/b2bua-xcid-503.txt'), 'utf8')).report;
    const kept = original.entries.map((e) => {
      const { src, dst, time } = e.message.meta;
      return { time: time ?? 0, src: src === undefined ? null : `${src.host}:${src.port ?? ''}`, dst: dst === undefined ? null : `${dst.host}:${dst.port ?? ''}`, raw: e.message.raw };
    });
    // Kept out of order (two legs stored apart): written back in time order.
    const again = engine.triage(keptTraceText([...kept].reverse())).report;
    expect(again.entries.map((e) => e.message.raw)).toEqual(original.entries.map((e) => e.message.raw));
    expect(again.entries.map((e) => e.message.meta.time)).toEqual(original.entries.map((e) => e.message.meta.time));
    expect(again.entries.map((e) => e.message.meta.src)).toEqual(original.entries.map((e) => e.message.meta.src));
    expect(again.legs).toEqual(original.legs);
    expect(again.calls.map((c) => c.call.outcome)).toEqual(original.calls.map((c) => c.call.outcome));
  });

  it('writes a message without addresses bare, as a raw paste', () => {
    const raw = 'OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: x1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    expect(keptTraceText([{ time: 0, src: null, dst: null, raw }])).toBe(raw);
    expect(keptTraceText([{ time: Date.UTC(2026, 10, 25, 10, 41, 0, 999) + 0.5, src: '192.0.2.1:5060', dst: '[2001:db8::1]:5060', raw }]).split('\n')[0]).toBe('2026/11/25 10:41:00.999500 192.0.2.1:5060 -> [2001:db8::1]:5060');
  });
});
