import { describe, expect, it } from 'vitest';
import { decodeHep } from '../../../src/core/hep/decode-hep.js';
import { hepTimeMs } from '../../../src/core/hep/hep-packet.js';
import { HEP_COLLECTOR_PORT, HEP_SETS, readDatagrams } from './hep-fixtures.js';

// Kamailio 5.6.3 mirrored two calls (200 with BYE, 486) as HEP v3, v2 and v1 while tshark captured the SIP
// legs on the wire: every decoded HEP packet must describe a datagram tshark saw, byte for byte.
describe.each(HEP_SETS)('HEP from Kamailio siptrace (%s)', (set) => {
  const datagrams = readDatagrams(set);
  const hep = datagrams.filter((d) => d.dstPort === HEP_COLLECTOR_PORT);
  const wire = datagrams.filter((d) => d.dstPort !== HEP_COLLECTOR_PORT);
  const version = Number(set[3]);

  it('mirrors every SIP datagram once', () => {
    expect(hep.length).toBe(wire.length);
    expect(hep.length).toBeGreaterThan(15);
  });

  it('decodes every packet to the datagram seen on the wire: addresses, ports, transport and payload', () => {
    const seen = new Map(wire.map((d) => [`${d.src}|${d.srcPort}|${d.dst}|${d.dstPort}|${d.payload.toString('hex')}`, d]));
    for (const d of hep) {
      const r = decodeHep(d.payload);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const p = r.value;
      expect(p.version).toBe(version);
      expect(p.transport).toBe('UDP');
      expect(p.protocolType).toBe(1);
      expect(p.compressed).toBe(false);
      const key = `${p.src?.host}|${p.src?.port}|${p.dst?.host}|${p.dst?.port}|${Buffer.from(p.payload).toString('hex')}`;
      const match = seen.get(key);
      expect(match, `no wire datagram for HEP packet ${p.src?.host}:${p.src?.port} -> ${p.dst?.host}:${p.dst?.port}`).toBeDefined();
      if (version >= 2 && match !== undefined) {
        // Kamailio stamps the packet when it handles it: within a second of tshark's capture time.
        expect(Math.abs((hepTimeMs(p) ?? 0) - match.time * 1000)).toBeLessThan(1000);
        expect(p.captureId).toBe(2001);
      }
    }
  });

  it('carries the capture password only where Kamailio was given one (HEPv3 auth_key)', () => {
    const keys = new Set(hep.map((d) => (decodeHep(d.payload) as { ok: true; value: { authKey?: string } }).value.authKey));
    expect([...keys]).toEqual([set === 'hep3-ipv4-auth' ? 'capture-s3cret' : undefined]);
  });

  it('reads the address family the capture used', () => {
    const r = decodeHep(hep[0]?.payload ?? new Uint8Array());
    expect(r.ok && r.value.family).toBe(set.includes('ipv6') ? 'ipv6' : 'ipv4');
    expect(r.ok && r.value.src?.host).toBe(set.includes('ipv6') ? '::1' : '127.0.0.1');
  });
});
