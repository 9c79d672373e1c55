import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/core/engine.js';
import { triageJson } from '../../../src/core/triage/report-json.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';

describe('media findings on real SIPp calls (two-way, one-way, no media)', () => {
  const engine = createEngine(defaultKnowledge());
  const answer = engine.triageBytes(readFileSync(new URL('../../fixtures/captures/media/sipp-media.pcapng', import.meta.url)));
  const json = triageJson(answer.report);
  const call = (id: string) => json.calls.find((c) => c.callId === id)!;
  const ids = (id: string) => call(id).findings.map((f) => f.id);

  it('reports one-way audio on the call whose callee sends nothing, naming the silent direction', () => {
    expect(ids('1-one-way@uac.example.com')).toContain('one-way-audio');
    const f = call('1-one-way@uac.example.com').findings.find((x) => x.id === 'one-way-audio')!;
    expect(f.title).toBe('One-way audio: no RTP from the callee to the caller (the caller hears nothing)');
    expect(f.detail).toContain('127.0.0.1:16100');
    expect(ids('1-one-way@uac.example.com')).not.toContain('no-media');
  });

  it('reports no media on the call where neither side sent RTP', () => {
    expect(ids('1-no-media@uac.example.com')).toContain('no-media');
    expect(ids('1-no-media@uac.example.com')).not.toContain('one-way-audio');
  });

  it('reports neither on the two-way call, only the loss editcap made (10 of 236 packets)', () => {
    const found = ids('1-two-way@uac.example.com');
    expect(found).not.toContain('one-way-audio');
    expect(found).not.toContain('no-media');
    expect(found).toContain('high-loss');
    expect(call('1-two-way@uac.example.com').findings.find((f) => f.id === 'high-loss')?.title).toBe('4.2 % of RTP lost from 127.0.0.1:16200');
  });

  it('gives each call its streams in --json, with a MOS estimate for the G.711 ones', () => {
    expect(call('1-two-way@uac.example.com').media).toHaveLength(4);
    expect(call('1-no-media@uac.example.com').media).toEqual([]);
    const g711 = call('1-one-way@uac.example.com').media!.find((m) => m.codec === 'PCMA')!;
    expect(g711).toMatchObject({ ssrc: '0xDEE0EE8F', payloadType: 8, src: '127.0.0.1:16300', dst: '127.0.0.1:16100', packets: 233, lost: 3, duplicates: 0, outOfOrder: 0 });
    expect(g711.mos).toBeGreaterThan(4);
    expect(g711.mosInputs).toMatchObject({ delayFrom: 'assumed', jitterBufferMs: 60 });
  });

  it('leaves text traces without a media section', () => {
    const text = engine.triage('INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n\r\n');
    expect(triageJson(text.report).calls[0]).not.toHaveProperty('media');
  });
});

describe('the media section of call cards', () => {
  const answer = createEngine(defaultKnowledge()).triageBytes(readFileSync(new URL('../../fixtures/captures/media/sipp-media.pcapng', import.meta.url)));
  it('lists each call\'s streams by port only (addresses stay out of chat cards) and at most four lines and a note', () => {
    const sections = answer.calls.map((c) => c.sections.find((s) => s.title === 'Media'));
    expect(sections.every((s) => s !== undefined)).toBe(true);
    for (const s of sections) {
      expect(s!.items.length).toBeLessThanOrEqual(5);
      for (const item of s!.items) expect(item).not.toMatch(/127\.0\.0\.1/);
    }
    expect(sections.flatMap((s) => s!.items)).toContain('port 16200 → 16000 PCMA: 226 packets, 10 lost (4.2 %), jitter max 1.2 ms, MOS ≈ 3.9 (E-model estimate)');
    expect(sections.some((s) => s!.text === 'No RTP for this call in the capture.')).toBe(true);
  });
});
