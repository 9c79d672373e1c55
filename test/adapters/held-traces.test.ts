import { describe, expect, it } from 'vitest';
import { HeldTraces, NO_LONGER_HELD } from '../../src/adapters/held-traces.js';

const text = (n: number) => ({ input: { kind: 'text' as const, text: 'x'.repeat(n) }, source: undefined, scope: 'C1' });

describe('HeldTraces', () => {
  it('hands a trace back by its short id, only in the channel it was held for', () => {
    const held = new HeldTraces();
    const id = held.hold({ input: { kind: 'bytes', bytes: new Uint8Array([1, 2, 3]), filename: 'a.pcap' }, source: 'a.pcap', scope: 'C1' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(held.get(id ?? '', 'C1')?.source).toBe('a.pcap');
    expect(held.get(id ?? '', 'C2')).toBeUndefined();
    expect(held.get('unknown', 'C1')).toBeUndefined();
  });

  it('forgets a trace once its time is up', () => {
    let now = 1_000;
    const held = new HeldTraces({ ttlMs: 60_000, now: () => now });
    const id = held.hold(text(10)) ?? '';
    now += 59_999;
    expect(held.get(id, 'C1')).toBeDefined();
    now += 1;
    expect(held.get(id, 'C1')).toBeUndefined();
    expect(held.size).toBe(0);
    expect(held.bytes).toBe(0);
  });

  it('drops the oldest traces past the count and the byte budget', () => {
    const byCount = new HeldTraces({ maxTraces: 2 });
    const ids = [byCount.hold(text(1)), byCount.hold(text(1)), byCount.hold(text(1))].map((i) => i ?? '');
    expect(ids.map((i) => byCount.get(i, 'C1') !== undefined)).toEqual([false, true, true]);

    // Text counts two bytes a character: 3 × 400 bytes against a 1000-byte budget keeps the last two.
    const byBytes = new HeldTraces({ maxBytes: 1000 });
    const b = [byBytes.hold(text(200)), byBytes.hold(text(200)), byBytes.hold(text(200))].map((i) => i ?? '');
    expect(b.map((i) => byBytes.get(i, 'C1') !== undefined)).toEqual([false, true, true]);
    expect(byBytes.bytes).toBe(800);
    // A trace larger than the whole budget is not held at all (and evicts nothing).
    expect(byBytes.hold(text(600))).toBeUndefined();
    expect(byBytes.size).toBe(2);
  });

  it('lets one share of an id run at a time', () => {
    const held = new HeldTraces();
    expect(held.begin('a')).toBe(true);
    expect(held.begin('a')).toBe(false);
    held.end('a');
    expect(held.begin('a')).toBe(true);
  });

  it('says what to do when a trace is gone', () => {
    expect(NO_LONGER_HELD).toMatch(/no longer held.*paste it again/);
  });
});
