import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatScale, ladderPng, MAX_CHAT_PIXELS } from '../../src/adapters/ladder-image.js';
import { createEngine } from '../../src/core/engine.js';
import { chatLadder } from '../../src/core/ladder/chat-ladder.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { decodePng } from '../render/png-reader.js';
import { memoryLogger } from './slack/slack-service.js';

const engine = createEngine(loadKnowledge());
const trace = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/traces/raw', name), 'utf8');

describe('ladderPng', () => {
  it('draws a failing call as a PNG', async () => {
    const ladder = chatLadder(engine.triage(trace('03-unavailable-503.sip')).report, { numbers: false, addresses: false });
    const lines: string[] = [];
    const png = await ladderPng(ladder?.svg ?? '', memoryLogger(lines));
    const decoded = decodePng(png ?? new Uint8Array());
    expect(decoded.width).toBeGreaterThan(400);
    expect(decoded.height).toBeGreaterThan(100);
    expect(lines).toHaveLength(0);
  });

  it('returns nothing and writes one log line saying why when the SVG cannot be drawn', async () => {
    const lines: string[] = [];
    expect(await ladderPng('<svg broken', memoryLogger(lines))).toBeUndefined();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as { msg: string; err: { code: string } };
    expect(line.msg).toBe('ladder image not drawn; the text answer stands');
    expect(line.err.code).toBe('RENDER_FAILED');
  });
});

describe('chatScale', () => {
  it('draws small ladders at zoom 2 and tall ones smaller, within the pixel budget, never under 1', () => {
    const svg = (w: number, h: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`;
    expect(chatScale(svg(900, 600))).toBe(2);
    const tall = chatScale(svg(914, 3256));
    expect(tall).toBeLessThan(2);
    expect(914 * 3256 * tall * tall).toBeLessThanOrEqual(MAX_CHAT_PIXELS + 1);
    expect(chatScale(svg(2000, 20000))).toBe(1);
    expect(chatScale('<svg broken')).toBe(2);
  });
});

describe('chatLadder', () => {
  it('caps the arrows and says what was left out', () => {
    const report = engine.triage([trace('03-unavailable-503.sip'), trace('02-busy-486.sip'), trace('10-not-found-404.sip')].join('\n')).report;
    const ladder = chatLadder(report, { numbers: false, addresses: false }, 4);
    expect(ladder?.note).toMatch(/4 of \d+ messages drawn \(at most 4, failing calls first\)/);
    expect(ladder?.alt).toContain(ladder?.note ?? '?');
  });

  it('masks addresses in the picture when REDACT_ADDRESSES is set', () => {
    const report = engine.triage(trace('15-kamailio-503.sip')).report;
    expect(chatLadder(report, { numbers: false, addresses: false })?.svg).toContain('127.0.0.1');
    expect(chatLadder(report, { numbers: false, addresses: true })?.svg).not.toContain('127.0.0.1');
  });
});
