import { describe, expect, it } from 'vitest';
import { destinationKey, digestDestinations } from '../../src/digest/destinations.js';
import { DigestSchedule } from '../../src/digest/digest-schedule.js';
import { withRetry } from '../../src/digest/retry.js';

describe('digest schedule', () => {
  it('finds the latest scheduled time, the same second included', () => {
    const s = new DigestSchedule('0 9 * * *', 'UTC');
    expect(s.latest(Date.UTC(2026, 10, 25, 11, 30))).toBe(Date.UTC(2026, 10, 25, 9));
    expect(s.latest(Date.UTC(2026, 10, 25, 8, 59))).toBe(Date.UTC(2026, 10, 24, 9));
    expect(s.latest(Date.UTC(2026, 10, 25, 9))).toBe(Date.UTC(2026, 10, 25, 9));
    expect(s.next(Date.UTC(2026, 10, 25, 9))).toBe(Date.UTC(2026, 10, 26, 9));
  });

  it('reads the cron in its zone, across a daylight-saving change', () => {
    const s = new DigestSchedule('0 9 * * *', 'Europe/Paris');
    // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer (DST ended 25 Oct 2026).
    expect(s.latest(Date.UTC(2026, 9, 24, 12))).toBe(Date.UTC(2026, 9, 24, 7));
    expect(s.latest(Date.UTC(2026, 9, 26, 12))).toBe(Date.UTC(2026, 9, 26, 8));
  });

  it('names the period by the calendar date in the zone', () => {
    const tokyo = new DigestSchedule('0 1 * * *', 'Asia/Tokyo');
    // 01:00 in Tokyo on 25 Nov is 16:00 UTC on the 24th: the digest of the 25th there.
    expect(tokyo.period(Date.UTC(2026, 10, 24, 16))).toBe('2026-11-25');
    expect(new DigestSchedule('0 9 * * *', 'UTC').period(Date.UTC(2026, 10, 24, 16))).toBe('2026-11-24');
  });
});

describe('digest destinations', () => {
  it('posts once to a channel both configured and subscribed, keeping the ref that knows the workspace', () => {
    const out = digestDestinations(
      [
        { platform: 'slack', workspace: 'T0EXAMPLE1', channel: 'C0AAAAAAA' },
        { platform: 'discord', workspace: '111111111111111111', channel: '222222222222222222' },
      ],
      [
        { platform: 'slack', workspace: '', channel: 'C0AAAAAAA' },
        { platform: 'slack', workspace: '', channel: 'C0BBBBBBB' },
        { platform: 'discord', workspace: '', channel: '222222222222222222' },
      ],
    );
    expect(out).toEqual([
      { platform: 'slack', workspace: 'T0EXAMPLE1', channel: 'C0AAAAAAA' },
      { platform: 'discord', workspace: '111111111111111111', channel: '222222222222222222' },
      { platform: 'slack', workspace: '', channel: 'C0BBBBBBB' },
    ]);
    expect(out.map(destinationKey)).toEqual(['slack:C0AAAAAAA', 'discord:222222222222222222', 'slack:C0BBBBBBB']);
  });
});

describe('retry with backoff', () => {
  it('tries again after doubling waits and gives the last error when it never works', async () => {
    const waits: number[] = [];
    const attempts: number[] = [];
    const policy = { attempts: 4, firstDelayMs: 2_000, sleep: async (ms: number) => waits.push(ms) };
    await expect(
      withRetry(policy, async (n) => {
        attempts.push(n);
        throw new Error(`try ${n}`);
      }),
    ).rejects.toThrow('try 4');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([2_000, 4_000, 8_000]);
  });

  it('returns the first success', async () => {
    let n = 0;
    expect(await withRetry({ attempts: 5, firstDelayMs: 1 }, async () => (++n < 3 ? Promise.reject(new Error('no')) : 'ok'))).toBe('ok');
    expect(n).toBe(3);
  });
});
