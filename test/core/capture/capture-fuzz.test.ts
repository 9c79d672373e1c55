import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureReader, type CaptureRead } from '../../../src/core/capture/read-capture.js';
import { bytes, ethernet, FLAG, fixtureMessages, ipv4, LINK, pcapFile, pcapngSection, tcp, udp, wsFrame } from './capture-builder.js';

const DIR = new URL('../../fixtures/captures/', import.meta.url);
const FIXTURES = readdirSync(DIR)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort()
  .map((f) => new Uint8Array(readFileSync(new URL(f, DIR))));

// Small limits, so that a run of a few hundred cases reaches them.
const LIMITS = { maxRecordBytes: 256 * 1024, maxMessages: 50, maxPendingFragments: 8, maxTcpFlows: 16, maxFlowBytes: 16 * 1024, maxTcpBytes: 64 * 1024, maxPendingSegments: 8 };

/** Reads in chunks, checking after each that nothing held exceeds its bound. */
function readChecked(input: Uint8Array, chunk: number): CaptureRead {
  const reader = new CaptureReader({ limits: LIMITS });
  for (let at = 0; at < input.length; at += chunk) {
    reader.push(input.subarray(at, at + chunk));
    const held = reader.held;
    expect(held.fileBytes).toBeLessThanOrEqual(LIMITS.maxRecordBytes + chunk);
    expect(held.tcpBytes).toBeLessThanOrEqual(LIMITS.maxTcpBytes);
    expect(held.tcpFlows).toBeLessThanOrEqual(LIMITS.maxTcpFlows);
    expect(held.fragments).toBeLessThanOrEqual(LIMITS.maxPendingFragments);
  }
  const read = reader.end();
  expect(read.messages.length).toBeLessThanOrEqual(LIMITS.maxMessages);
  for (const p of read.problems) {
    expect(p.code).toMatch(/^[a-z0-9-]+$/);
    expect(p.message.length).toBeGreaterThan(0);
  }
  return read;
}

const mutation = fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) });

describe('the capture reader under fuzzing (fast-check)', () => {
  it('never throws on random bytes behind a valid pcap or pcapng header', () => {
    const headers = [pcapFile(LINK.ETHERNET, []), pcapFile(LINK.RAW, [], { little: false, nano: true }), pcapngSection([{ linkType: LINK.ETHERNET }], [])];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: headers.length - 1 }), fc.uint8Array({ maxLength: 4096 }), fc.integer({ min: 1, max: 512 }), (h, tail, chunk) => {
        readChecked(bytes(headers[h]!, tail), chunk);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on mutated real captures (flipped bytes, cuts, chunk sizes) and keeps within its bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: FIXTURES.length - 1 }),
        fc.array(mutation, { maxLength: 12 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.integer({ min: 1, max: 4096 }),
        (i, mutations, cut, chunk) => {
          const file = FIXTURES[i]!.slice();
          for (const m of mutations) file[m.at % file.length] = m.value;
          readChecked(cut === undefined ? file : file.subarray(0, cut % (file.length + 1)), chunk);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated TCP and WebSocket streams, and reads undamaged ones whole', () => {
    const messages = fixtureMessages('16-success-tcp');
    const plain = bytes(...messages);
    const ws = bytes(...messages.map((m, i) => wsFrame(m, i % 2 === 0 ? { mask: [9, 8, 7, 6] } : {})));
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 30 }),
        fc.array(mutation, { maxLength: 6 }),
        fc.boolean(),
        (useWs, sizes, mutations, shuffle) => {
          const stream = (useWs ? ws : plain).slice();
          for (const m of mutations) stream[m.at % stream.length] = m.value;
          const segs: { seq: number; data: Uint8Array }[] = [];
          let at = 0;
          for (let k = 0; at < stream.length; k++) {
            const size = sizes[k % sizes.length]!;
            segs.push({ seq: 1 + at, data: stream.subarray(at, at + size) });
            at += size;
          }
          if (shuffle && segs.length > 2) [segs[0], segs[1]] = [segs[1]!, segs[0]!];
          const frames = [
            { time: 1, data: ethernet(ipv4('192.0.2.1', '192.0.2.2', 6, tcp(4000, 5060, 0, FLAG.SYN))) },
            ...segs.map((s) => ({ time: 2, data: ethernet(ipv4('192.0.2.1', '192.0.2.2', 6, tcp(4000, 5060, s.seq, FLAG.ACK, s.data))) })),
          ];
          const read = readChecked(pcapFile(LINK.ETHERNET, frames), 1500);
          if (mutations.length === 0) expect(read.messages).toHaveLength(messages.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random UDP payloads that start like SIP', () => {
    const starts = ['SIP/2.0 ', 'INVITE sip:', 'REGISTER sip:x SIP/2.0\r\n', 'ACK ', 'SIP/2.0 200 OK\r\nContent-Length: 99999999999\r\n\r\n'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: starts.length - 1 }), fc.uint8Array({ maxLength: 2000 }), (s, tail) => {
        const payload = bytes(starts[s]!, tail);
        readChecked(pcapFile(LINK.ETHERNET, [{ time: 1, data: ethernet(ipv4('192.0.2.1', '192.0.2.2', 17, udp(5060, 5060, payload))) }]), 97);
      }),
      { numRuns: 300 },
    );
  });
});
