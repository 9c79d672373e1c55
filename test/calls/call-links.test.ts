import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
// The real timingSafeEqual, watched: the test sees that signatures are compared with it.
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return { ...crypto, timingSafeEqual: vi.fn(crypto.timingSafeEqual) };
});

import { callLinker, checkCallLink, encodeCallId, linkKey, signedCallUrl } from '../../src/calls/call-links.js';

const TOKEN = 'metrics-token-for-link-tests';
const key = linkKey({ token: TOKEN });
const NOW = 1_796_000_000;

function parts(url: string): { callId: string; format: 'ladder' | 'trace'; exp: string | null; sig: string | null } {
  const u = new URL(url);
  return { callId: decodeURIComponent(u.pathname.slice(u.pathname.indexOf('/calls/') + '/calls/'.length)), format: u.searchParams.get('format') === 'trace' ? 'trace' : 'ladder', exp: u.searchParams.get('exp'), sig: u.searchParams.get('sig') };
}

describe('signed call links', () => {
  it('round trip: a link made for a Call-ID and format checks out until it expires', () => {
    if (key === undefined) throw new Error('a token gives a key');
    const callId = 'a1f3 "odd" (call)!*\'@192.0.2.10';
    for (const format of ['ladder', 'trace'] as const) {
      const url = signedCallUrl({ publicUrl: 'https://siptriage.example.com/base', key, callId, format, expiresAt: NOW + 60 });
      expect(url.startsWith(`https://siptriage.example.com/base/calls/${encodeCallId(callId)}?`)).toBe(true);
      const p = parts(url);
      expect(p.callId).toBe(callId);
      expect(p.format).toBe(format);
      expect(checkCallLink({ key, ...p, now: NOW })).toEqual({ ok: true });
      expect(checkCallLink({ key, ...p, now: NOW + 61 })).toEqual({ ok: false, code: 'expired' });
    }
  });

  it('fails for another Call-ID, another format, a moved expiry, another key, or no signature', () => {
    if (key === undefined) throw new Error('a token gives a key');
    const p = parts(signedCallUrl({ publicUrl: 'http://127.0.0.1:3000', key, callId: 'x@y', expiresAt: NOW + 60 }));
    expect(checkCallLink({ key, ...p, callId: 'x@z', now: NOW }).ok).toBe(false);
    expect(checkCallLink({ key, ...p, format: 'trace', now: NOW }).ok).toBe(false);
    expect(checkCallLink({ key, ...p, exp: String(NOW + 86_400), now: NOW }).ok).toBe(false);
    expect(checkCallLink({ key: Buffer.from('another secret of some length'), ...p, now: NOW }).ok).toBe(false);
    expect(checkCallLink({ key, ...p, sig: null, now: NOW })).toEqual({ ok: false, code: 'missing' });
    expect(checkCallLink({ key, ...p, sig: `${p.sig ?? ''}A`, now: NOW })).toEqual({ ok: false, code: 'invalid' });
    expect(checkCallLink({ key, ...p, exp: '1e12', now: NOW })).toEqual({ ok: false, code: 'invalid' });
  });

  it('never puts the token in a link, and derives the key from it through a labelled HMAC', () => {
    const link = callLinker({ links: { publicUrl: 'https://s.example.com' }, token: TOKEN, keepDays: 7, now: () => NOW * 1000 });
    const url = link?.('x@y') ?? '';
    expect(url).not.toContain(TOKEN);
    expect(url).not.toContain(encodeURIComponent(TOKEN));
    expect(key).toEqual(createHmac('sha256', TOKEN).update('siptriage calls link v1').digest());
    expect(parts(url).exp).toBe(String(NOW + 7 * 86_400));
  });

  it('prefers CALLS_LINK_SECRET, needs no signature when /calls is open, and makes no links without PUBLIC_URL', () => {
    expect(linkKey({ secret: 'a link secret of 16+', token: TOKEN })).toEqual(Buffer.from('a link secret of 16+'));
    expect(linkKey({})).toBeUndefined();
    const open = callLinker({ links: { publicUrl: 'https://s.example.com' }, token: undefined, keepDays: 7, now: () => NOW * 1000 });
    expect(open?.('x@y', 'trace')).toBe('https://s.example.com/calls/x%40y?format=trace');
    expect(callLinker({ links: {}, token: TOKEN, keepDays: 7, now: () => NOW * 1000 })).toBeUndefined();
  });

  it('escapes what would end a markdown link or a Slack link early', () => {
    expect(encodeCallId('a(b)c|d>e<f!*\' g')).toBe('a%28b%29c%7Cd%3Ee%3Cf%21%2A%27%20g');
  });

  it('compares signatures in constant time, over equal lengths', () => {
    if (key === undefined) throw new Error('a token gives a key');
    const p = parts(signedCallUrl({ publicUrl: 'http://127.0.0.1:3000', key, callId: 'x@y', expiresAt: NOW + 60 }));
    const spy = vi.mocked(timingSafeEqual);
    spy.mockClear();
    const forged = `${(p.sig ?? '').slice(0, 42)}${p.sig?.endsWith('A') === true ? 'B' : 'A'}`;
    expect(checkCallLink({ key, ...p, sig: forged, now: NOW }).ok).toBe(false);
    expect(checkCallLink({ key, ...p, now: NOW }).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });
});
