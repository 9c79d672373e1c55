import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHep } from '../../../src/core/hep/decode-hep.js';
import { encodeHep2, encodeHep3, parseIp } from '../../../src/core/hep/encode-hep.js';
import { HEP_SETS, hepPackets } from './hep-fixtures.js';

const CODES = new Set(['hep-truncated', 'hep-length', 'hep-chunk-length', 'hep-chunk-size', 'hep-no-payload', 'hep-version', 'hep-family']);
const REAL = HEP_SETS.flatMap((set) => hepPackets(set));

// Total: a value, never a throw; a problem always carries a known code and a sentence.
function checkTotal(bytes: Uint8Array): void {
  const r = decodeHep(bytes);
  if (r.ok) {
    expect(r.value.payload.length).toBeGreaterThan(0);
    expect(r.value.payload.byteOffset + r.value.payload.length).toBeLessThanOrEqual(bytes.byteOffset + bytes.length);
  } else {
    expect(CODES.has(r.problem.code), r.problem.code).toBe(true);
    expect(r.problem.message.length).toBeGreaterThan(0);
  }
}

const realPacket = fc.constantFrom(...REAL).map((b) => Uint8Array.from(b));

// A mutation a network, a buggy agent or an attacker could produce from a real packet.
const mutated = fc.oneof(
  fc.tuple(realPacket, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, i, v]) => {
    b[i % b.length] = v;
    return b;
  }),
  fc.tuple(realPacket, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 })).map(([b, flips]) => {
    for (const [i, bit] of flips) b[i % b.length] = (b[i % b.length] ?? 0) ^ (1 << bit);
    return b;
  }),
  fc.tuple(realPacket, fc.nat()).map(([b, n]) => b.subarray(0, n % (b.length + 1))),
  fc.tuple(realPacket, fc.uint8Array({ maxLength: 64 })).map(([b, tail]) => Uint8Array.from([...b, ...tail])),
  // Header and chunk length fields are where decoders go wrong: set them to anything.
  fc.tuple(realPacket, fc.nat(), fc.integer({ min: 0, max: 0xffff })).map(([b, i, v]) => {
    const at = (i % Math.max(1, b.length - 1)) & ~1;
    b[at] = v >> 8;
    b[at + 1] = v & 0xff;
    return b;
  }),
  fc.tuple(realPacket, realPacket, fc.nat(), fc.nat()).map(([a, b, i, j]) => Uint8Array.from([...a.subarray(0, i % (a.length + 1)), ...b.subarray(j % (b.length + 1))])),
);

describe('decodeHep under fuzzing', () => {
  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => checkTotal(b)), { numRuns: 3000 });
  });

  it('never throws on random bytes that start like HEP3, HEPv1 or HEPv2', () => {
    const headed = fc
      .tuple(fc.constantFrom([0x48, 0x45, 0x50, 0x33], [1, 16, 2, 17], [2, 16, 2, 17], [2, 40, 10, 17]), fc.uint8Array({ maxLength: 1500 }))
      .map(([head, rest]) => Uint8Array.from([...head, ...rest]));
    fc.assert(fc.property(headed, (b) => checkTotal(b)), { numRuns: 3000 });
  });

  it('never throws on mutated real Kamailio packets (v1, v2, v3, IPv4 and IPv6)', () => {
    fc.assert(fc.property(mutated, (b) => checkTotal(b)), { numRuns: 5000 });
  });

  it('decodes what it encodes, for any addresses, ports, times and payload', () => {
    const ipv4 = fc.ipV4();
    const ipv6 = fc.ipV6();
    const packet = fc.record({
      v6: fc.boolean(),
      a4: ipv4,
      b4: ipv4,
      a6: ipv6,
      b6: ipv6,
      sport: fc.integer({ min: 0, max: 65535 }),
      dport: fc.integer({ min: 0, max: 65535 }),
      sec: fc.integer({ min: 0, max: 0xffffffff }),
      usec: fc.integer({ min: 0, max: 999_999 }),
      captureId: fc.integer({ min: 0, max: 0xffff }),
      payload: fc.uint8Array({ minLength: 1, maxLength: 1200 }),
      v2: fc.boolean(),
    });
    fc.assert(
      fc.property(packet, (p) => {
        const fields = {
          src: { host: p.v6 ? p.a6 : p.a4, port: p.sport },
          dst: { host: p.v6 ? p.b6 : p.b4, port: p.dport },
          timeSec: p.sec,
          timeUsec: p.usec,
          captureId: p.captureId,
          payload: p.payload,
        };
        const r = decodeHep(p.v2 ? encodeHep2(fields) : encodeHep3(fields));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toMatchObject({ src: { port: p.sport }, dst: { port: p.dport }, timeSec: p.sec, timeUsec: p.usec, captureId: p.captureId });
        // A packed v2 payload starting with two zero bytes is read as padding: the one ambiguity of HEPv2.
        if (!(p.v2 && p.payload[0] === 0 && p.payload[1] === 0)) expect(Buffer.from(r.value.payload).equals(Buffer.from(p.payload))).toBe(true);
        if (!p.v6) expect(r.value.src?.host).toBe(p.a4.split('.').map(Number).join('.'));
        else expect(parseIp(r.value.src?.host ?? '')).toEqual(parseIp(p.a6));
      }),
      { numRuns: 2000 },
    );
  });
});
