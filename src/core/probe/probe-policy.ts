import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { fail, ok, type Result } from '../result.js';

/**
 * Where probes may go. Chat text chooses the target, so the operator's configuration decides what it may
 * be: a probe is a packet sent on someone's behalf from inside the network siptriage runs in.
 */
export interface ProbePolicy {
  /** Host names (`pbx.example.com`), suffixes (`*.example.com`), addresses and CIDR blocks; `*` for any public target. */
  readonly allow: readonly string[];
  /** Private, CGNAT, loopback and link-local addresses: refused unless this is set (PROBE_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
}

export const DEFAULT_PROBE_POLICY: ProbePolicy = { allow: ['*'], allowPrivate: false };

/** Checks an allow-list as configured; a bad entry names itself. */
export function parseAllowList(text: string): Result<readonly string[]> {
  const entries = text.split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  for (const entry of entries) {
    if (entry === '*') continue;
    if (entry.includes('/')) {
      if (cidr(entry) === undefined) return fail('probe-allow-invalid', `"${entry}" is not a CIDR block like 203.0.113.0/24 or 2001:db8::/32`);
      continue;
    }
    if (!isIPv4(entry) && !isIPv6(entry) && !/^(?:\*\.)?[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$/.test(entry)) {
      return fail('probe-allow-invalid', `"${entry}" is not a host name, *.suffix, address or CIDR block`);
    }
  }
  return ok(entries);
}

/**
 * Before any DNS: is this name or address on the list? A name matched here may still resolve to an address
 * the policy refuses; checkAddress() decides that for each address actually contacted.
 */
export function checkTargetHost(host: string, policy: ProbePolicy): Result<true> {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIPv4(h) || isIPv6(h)) return checkAddress(h, policy);
  if (policy.allow.includes('*') || policy.allow.some((rule) => nameMatches(h, rule))) return ok(true);
  // A name may still be allowed by the address it resolves to, when the list holds address blocks.
  if (policy.allow.some((rule) => isAddressRule(rule))) return ok(true);
  return fail('probe-not-allowed', `${h} is not on this siptriage's probe allow-list (PROBE_ALLOW), so it will not be probed from here.`);
}

/** Every address a probe is about to contact passes here, after resolution: DNS cannot smuggle in a refused one. */
export function checkAddress(address: string, policy: ProbePolicy, viaName?: string): Result<true> {
  const a = address.toLowerCase();
  const scope = addressClass(a);
  const shown = viaName === undefined ? a : `${a} (from ${viaName})`;
  if (scope === 'not-unicast') return fail('probe-address-special', `${shown} is not a unicast address (unspecified, broadcast or multicast), so it cannot be probed.`);
  if (scope !== 'public' && !policy.allowPrivate) {
    return fail('probe-address-private', `${shown} is a ${scope} address, and probes to non-public addresses are off here (PROBE_ALLOW_PRIVATE=false).`);
  }
  const listed =
    policy.allow.includes('*') ||
    policy.allow.some((rule) => (isAddressRule(rule) ? inRule(a, rule) : viaName !== undefined && nameMatches(viaName.toLowerCase().replace(/\.$/, ''), rule)));
  if (!listed) return fail('probe-not-allowed', `${shown} is not on this siptriage's probe allow-list (PROBE_ALLOW), so it will not be probed from here.`);
  return ok(true);
}

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'shared (CGNAT)' | 'not-unicast';

const SPECIAL = new BlockList();
SPECIAL.addSubnet('0.0.0.0', 8, 'ipv4');
SPECIAL.addSubnet('224.0.0.0', 4, 'ipv4');
SPECIAL.addSubnet('240.0.0.0', 4, 'ipv4');
SPECIAL.addAddress('::', 'ipv6');
SPECIAL.addSubnet('ff00::', 8, 'ipv6');

const CLASSES: readonly (readonly [AddressClass, string, number, 'ipv4' | 'ipv6'])[] = [
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['shared (CGNAT)', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
];

/** RFC 1918, RFC 6598, RFC 4193 and the loopback and link-local blocks; IPv4-mapped IPv6 is read as IPv4. */
export function addressClass(address: string): AddressClass {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped?.[1] ?? address;
  const family = isIPv4(a) ? 'ipv4' : 'ipv6';
  if (SPECIAL.check(a, family)) return 'not-unicast';
  for (const [cls, net, prefix, fam] of CLASSES) {
    if (fam !== family) continue;
    const list = new BlockList();
    list.addSubnet(net, prefix, fam);
    if (list.check(a, family)) return cls;
  }
  return 'public';
}

function isAddressRule(rule: string): boolean {
  return rule.includes('/') || isIPv4(rule) || isIPv6(rule);
}

function inRule(address: string, rule: string): boolean {
  const family = isIPv4(address) ? 'ipv4' : 'ipv6';
  if (!rule.includes('/')) return rule === address;
  const c = cidr(rule);
  if (c === undefined || c.family !== family) return false;
  const list = new BlockList();
  list.addSubnet(c.net, c.prefix, c.family);
  return list.check(address, family);
}

function nameMatches(host: string, rule: string): boolean {
  if (rule.startsWith('*.')) return host.endsWith(rule.slice(1)) && host.length > rule.length - 1;
  return !isAddressRule(rule) && host === rule;
}

function cidr(rule: string): { net: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [net = '', p = ''] = rule.split('/');
  const family = isIPv4(net) ? 'ipv4' : isIPv6(net) ? 'ipv6' : undefined;
  if (family === undefined || !/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  return prefix <= (family === 'ipv4' ? 32 : 128) ? { net, prefix, family } : undefined;
}
