import { describe, expect, it } from 'vitest';
import { addressClass, checkAddress, checkTargetHost, parseAllowList } from '../../../src/core/probe/probe-policy.js';

const open = { allow: ['*'], allowPrivate: false };

describe('the probe allow-list', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.31.255.1', 'private'],
    ['192.168.0.10', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['::1', 'loopback'],
    ['fd00::5', 'private'],
    ['fe80::1', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['0.0.0.0', 'not-unicast'],
    ['224.0.0.1', 'not-unicast'],
    ['255.255.255.255', 'not-unicast'],
    ['203.0.113.7', 'public'],
    ['2001:db8::1', 'public'],
  ])('classes %s as %s', (address, cls) => {
    expect(addressClass(address)).toBe(cls);
  });

  it('refuses a private address when PROBE_ALLOW_PRIVATE is false, in one sentence naming the setting', () => {
    const r = checkTargetHost('192.168.1.20', open);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.message).toBe('192.168.1.20 is a private address, and probes to non-public addresses are off here (PROBE_ALLOW_PRIVATE=false).');
  });

  it('refuses a name that resolves to a private address, naming where it came from (DNS cannot smuggle one in)', () => {
    const r = checkAddress('169.254.169.254', open, 'metadata.example.com');
    expect(!r.ok && r.problem.code).toBe('probe-address-private');
    expect(!r.ok && r.problem.message).toContain('(from metadata.example.com)');
  });

  it('allows loopback and private only with allowPrivate', () => {
    expect(checkAddress('127.0.0.1', { allow: ['*'], allowPrivate: true }).ok).toBe(true);
    expect(checkAddress('0.0.0.0', { allow: ['*'], allowPrivate: true }).ok).toBe(false);
  });

  it('keeps a narrowed list: names, suffixes and CIDR blocks; everything else is refused', () => {
    const policy = { allow: ['pbx.example.com', '*.carrier.net', '198.51.100.0/24'], allowPrivate: false };
    expect(checkTargetHost('pbx.example.com', policy).ok).toBe(true);
    expect(checkTargetHost('sbc1.carrier.net', policy).ok).toBe(true);
    expect(checkTargetHost('198.51.100.9', policy).ok).toBe(true);
    expect(checkTargetHost('203.0.113.7', policy).ok).toBe(false);
    expect(checkAddress('203.0.113.7', policy, 'pbx.example.com').ok).toBe(true);
    expect(checkAddress('203.0.113.7', policy, 'evil.example.org').ok).toBe(false);
    expect(checkAddress('198.51.100.20', policy, 'evil.example.org').ok).toBe(true);
    const refused = checkTargetHost('carrier.net.evil.org', { allow: ['*.carrier.net'], allowPrivate: false });
    expect(!refused.ok && refused.problem.message).toMatch(/not on this siptriage's probe allow-list \(PROBE_ALLOW\)/);
  });

  it('reads PROBE_ALLOW and names a bad entry', () => {
    expect(parseAllowList(' PBX.example.com, *.carrier.net ,10.0.0.0/8,')).toEqual({ ok: true, value: ['pbx.example.com', '*.carrier.net', '10.0.0.0/8'] });
    const bad = parseAllowList('10.0.0.0/33');
    expect(!bad.ok && bad.problem.message).toContain('"10.0.0.0/33" is not a CIDR block');
  });
});
