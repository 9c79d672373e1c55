import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import { writePcap } from '../../../src/core/capture/write-pcap.js';

const INVITE = 'INVITE sip:+15555550486@198.51.100.7 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776\r\nCall-ID: w1@192.0.2.10\r\nCSeq: 1 INVITE\r\nFrom: <sip:alice@example.com>;tag=1\r\nTo: <sip:+15555550486@example.net>\r\nContent-Length: 0\r\n\r\n';

describe('writePcap', () => {
  it('writes messages our own capture reader reads back with their addresses, ports and times, IPv4 and IPv6', () => {
    const bytes = writePcap([
      { time: 1_764_900_000_123, src: '192.0.2.10:5060', dst: '198.51.100.7:5080', raw: INVITE },
      { time: 1_764_900_000_456, src: '[2001:db8::1]:5062', dst: '[2001:db8::2]:5060', raw: INVITE.replace('w1@', 'w2@') },
      { time: 1_764_900_000_789, src: 'sbc.example.net', dst: null, raw: INVITE.replace('w1@', 'w3@') },
    ]);
    const read = readCapture(bytes);
    expect(read.messages.map((m) => [m.meta.src, m.meta.dst, m.meta.time])).toEqual([
      [{ host: '192.0.2.10', port: 5060 }, { host: '198.51.100.7', port: 5080 }, 1_764_900_000_123],
      [{ host: '2001:db8::1', port: 5062 }, { host: '2001:db8::2', port: 5060 }, 1_764_900_000_456],
      [{ host: '127.0.0.1', port: 5060 }, { host: '127.0.0.1', port: 5060 }, 1_764_900_000_789],
    ]);
  });

  it('rounds a capture time just under a whole second up to that second, not to a microsecond field of 1,000,000', () => {
    const bytes = Buffer.from(writePcap([{ time: 1_764_900_000_999.9996, src: '192.0.2.10:5060', dst: '198.51.100.7:5060', raw: INVITE }]));
    expect([bytes.readUInt32LE(24), bytes.readUInt32LE(28)]).toEqual([1_764_900_001, 0]);
    expect(readCapture(bytes).messages[0]?.meta.time).toBe(1_764_900_001_000);
  });
});
