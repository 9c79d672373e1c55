import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { documentationAddress } from '../../../src/core/share/documentation-address.js';

describe('documentationAddress', () => {
  it('gives private hosts TEST-NET-1 and public ones TEST-NET-2, numbered as their pseudonym', () => {
    expect(documentationAddress('private-3', 4)).toBe('192.0.2.3');
    expect(documentationAddress('public-1', 4)).toBe('198.51.100.1');
    expect(documentationAddress('private-12', 6)).toBe('2001:db8:1::12');
    expect(documentationAddress('public-1', 6)).toBe('2001:db8:2::1');
  });

  it('stays a valid, distinct address past 254 hosts of a scope, and refuses what is not a pseudonym', () => {
    const v4 = Array.from({ length: 1000 }, (_, i) => documentationAddress(`public-${i + 1}`, 4));
    const v6 = Array.from({ length: 20_000 }, (_, i) => documentationAddress(`private-${i + 1}`, 6));
    for (const a of [...v4, ...v6]) expect(isIP(a ?? '')).not.toBe(0);
    expect(new Set(v4).size).toBe(v4.length);
    expect(new Set(v6).size).toBe(v6.length);
    expect(documentationAddress('private-255', 4)).toBe('198.18.0.255');
    expect(documentationAddress('private-70000', 4)).toBeUndefined();
    expect(documentationAddress('10.0.0.1', 4)).toBeUndefined();
    expect(documentationAddress('private-0', 4)).toBeUndefined();
  });
});
