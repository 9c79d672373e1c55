import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HepTcpFramer } from '../../src/ingest/hep-tcp-framer.js';
import { hepPackets } from '../core/hep/hep-fixtures.js';

describe('HepTcpFramer', () => {
  const packets = hepPackets('hep3-ipv4-auth');
  const stream = Buffer.concat(packets);

  it('cuts a stream into the packets it carries, however the reads split it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const framer = new HepTcpFramer();
        const out: Buffer[] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = sizes[i % sizes.length] ?? 1;
          const r = framer.push(stream.subarray(at, at + n));
          if (r === 'garbage') throw new Error('garbage');
          out.push(...r);
          at += n;
        }
        expect(out.map((b) => b.toString('hex'))).toEqual(packets.map((b) => b.toString('hex')));
      }),
      { numRuns: 200 },
    );
  });

  it('gives up on a stream that is not HEPv3', () => {
    expect(new HepTcpFramer().push(Buffer.from('OPTIONS sip:x SIP/2.0\r\n'))).toBe('garbage');
    expect(new HepTcpFramer().push(Buffer.from([0x48, 0x45, 0x50, 0x33, 0, 2]))).toBe('garbage');
  });
});
