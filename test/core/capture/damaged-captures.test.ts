import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureReader, readCapture } from '../../../src/core/capture/read-capture.js';
import { bytes, ethernet, FLAG, ipv4, ipv4Fragments, LINK, pcapFile, pcapngSection, tcp, udp, type Packet } from './capture-builder.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/captures/${name}`, import.meta.url)));

describe('damaged captures give a problem and what was read before it, never an exception', () => {
  it('an empty file', () => {
    expect(readCapture(new Uint8Array(0))).toMatchObject({ format: 'none', messages: [], problems: [{ code: 'capture-magic', message: 'the capture is empty' }] });
  });

  it('a file that is not a capture (text, PNG) names the bytes it starts with', () => {
    const text = readCapture(new TextEncoder().encode('INVITE sip:bob@example.com SIP/2.0\r\n'));
    expect(text.problems).toEqual([{ code: 'capture-magic', message: "not a pcap or pcapng capture: it starts with bytes 49 4e 56 49, not a capture file's magic number" }]);
    const png = readCapture(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a));
    expect(png.problems[0]?.code).toBe('capture-magic');
  });

  it('a pcap cut in the middle of a packet keeps the messages before the cut', () => {
    const whole = fixture('02-busy-486.pcap');
    const read = readCapture(whole.subarray(0, whole.length - 100));
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE', '100 Trying', '180 Ringing', '486 Busy Here']);
    expect(read.problems).toEqual([{ code: 'truncated', message: expect.stringMatching(/^the capture ends in the middle of a packet record \(\d+ of \d+ bytes\)/) }]);
  });

  it('a pcapng cut in the middle of a block keeps the messages before the cut', () => {
    const whole = fixture('02-busy-486.pcapng');
    const read = readCapture(whole.subarray(0, whole.length - 300));
    expect(read.messages.length).toBeGreaterThan(0);
    expect(read.messages.length).toBeLessThan(5);
    expect(read.problems[0]).toMatchObject({ code: 'truncated', message: expect.stringContaining('in the middle of a block') });
  });

  it('a file header cut short', () => {
    expect(readCapture(fixture('02-busy-486.pcap').subarray(0, 10)).problems).toEqual([
      { code: 'truncated', message: expect.stringContaining('(10 of 24 bytes)') },
    ]);
  });

  it('an absurd captured length in a pcap record stops there, keeping the packets before', () => {
    const file = fixture('02-busy-486.pcap').slice();
    // Record 3's captured-length field: walk the records from the 24-byte header.
    const v = new DataView(file.buffer);
    let at = 24;
    for (let i = 0; i < 2; i++) at += 16 + v.getUint32(at + 8, true);
    v.setUint32(at + 8, 0x7fffffff, true);
    const read = readCapture(file);
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE', '100 Trying']);
    expect(read.problems).toEqual([{ code: 'absurd-length', message: 'packet record 3 claims 2147483647 captured bytes, more than any real packet; the file is damaged from there on' }]);
  });

  it('absurd pcapng block lengths: huge, not a multiple of 4, or disagreeing with the trailing copy', () => {
    const base = fixture('02-busy-486.pcapng');
    const v0 = new DataView(base.buffer, base.byteOffset);
    const shbLength = v0.getUint32(4, true);
    const idbLength = v0.getUint32(shbLength + 4, true);
    const firstPacket = shbLength + idbLength;
    for (const [value, code] of [
      [0xfffffff0, 'absurd-length'],
      [0x102, 'absurd-length'],
      [v0.getUint32(firstPacket + 4, true) + 4, 'block-length'],
    ] as const) {
      const file = base.slice();
      new DataView(file.buffer).setUint32(firstPacket + 4, value, true);
      const read = readCapture(file);
      expect(read.messages).toHaveLength(0);
      expect(read.problems[0]?.code).toBe(code);
    }
  });

  it('an unknown pcap or pcapng version is refused by name', () => {
    const pcap = fixture('02-busy-486.pcap').slice();
    new DataView(pcap.buffer).setUint16(4, 3, true);
    expect(readCapture(pcap).problems).toEqual([{ code: 'capture-version', message: 'pcap version 3 is not 2, the only one there is' }]);
    const ng = fixture('02-busy-486.pcapng').slice();
    new DataView(ng.buffer).setUint16(12, 2, true);
    expect(readCapture(ng).problems).toEqual([{ code: 'capture-version', message: 'pcapng major version 2 is not 1' }]);
  });

  it('a pcapng whose first block is not a section header', () => {
    const file = bytes([0x0a, 0x0d, 0x0d, 0x0a], [28, 0, 0, 0], [0x11, 0x22, 0x33, 0x44], new Array<number>(16).fill(0), [28, 0, 0, 0]);
    expect(readCapture(file).problems[0]?.code).toBe('capture-magic');
  });

  it('never holds more than one record of file bytes while a claimed-huge record trickles in', () => {
    const header = pcapFile(LINK.ETHERNET, []);
    const reader = new CaptureReader({ limits: { maxRecordBytes: 1024 * 1024 } });
    reader.push(header);
    reader.push(bytes([0, 0, 0, 0, 0, 0, 0, 0], [0x00, 0x00, 0x10, 0x00], [0x00, 0x00, 0x10, 0x00])); // claims 1 MiB
    for (let i = 0; i < 64; i++) reader.push(new Uint8Array(4096));
    expect(reader.held.fileBytes).toBeLessThanOrEqual(1024 * 1024 + 16);
    const read = reader.end();
    expect(read.problems[0]?.code).toBe('truncated');
  });

  it('many TCP connections each holding half a message stay within the TCP memory bound', () => {
    const half = bytes('INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: a\r\nContent-Length: 60000\r\n\r\n', new Uint8Array(30_000));
    const list: Packet[] = [];
    for (let port = 1; port <= 200; port++) list.push({ time: 1, data: ethernet(ipv4('192.0.2.1', '192.0.2.2', 6, tcp(port, 5060, 1, FLAG.ACK, half))) });
    const limits = { maxTcpBytes: 1024 * 1024, maxTcpFlows: 64 };
    const reader = new CaptureReader({ limits });
    let peak = 0;
    let flows = 0;
    const file = pcapFile(LINK.ETHERNET, list);
    for (let at = 0; at < file.length; at += 8192) {
      reader.push(file.subarray(at, at + 8192));
      peak = Math.max(peak, reader.held.tcpBytes);
      flows = Math.max(flows, reader.held.tcpFlows);
    }
    expect(peak).toBeLessThanOrEqual(limits.maxTcpBytes);
    expect(flows).toBeLessThanOrEqual(limits.maxTcpFlows);
    expect(reader.end().problems.map((p) => p.code)).toContain('tcp-evicted');
  });

  it('many datagrams whose fragments never complete stay within the fragment bound', () => {
    const payload = udp(5060, 5060, new Uint8Array(3000));
    const list: Packet[] = [];
    for (let id = 0; id < 2000; id++) list.push({ time: 1, data: ethernet(ipv4Fragments('192.0.2.1', '192.0.2.2', 17, payload, 1480, id)[0]!) });
    const reader = new CaptureReader({ limits: { maxPendingFragments: 32 } });
    const file = pcapFile(LINK.ETHERNET, list);
    let peak = 0;
    for (let at = 0; at < file.length; at += 65536) {
      reader.push(file.subarray(at, at + 65536));
      peak = Math.max(peak, reader.held.fragments);
    }
    expect(peak).toBeLessThanOrEqual(32);
    expect(reader.end().problems).toContainEqual({ code: 'fragment-incomplete', message: 'an IP datagram whose fragments never all arrived was dropped (2000 datagrams)' });
  });

  it('lists what the parser found wrong with a message, by frame; a streaming reader asks for it per message', () => {
    const broken = bytes('INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: no-via\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n');
    const file = pcapFile(LINK.ETHERNET, [{ time: 1, data: ethernet(ipv4('192.0.2.1', '192.0.2.2', 17, udp(5060, 5060, broken))) }]);
    expect(readCapture(file).problems).toEqual([{ code: 'missing-header', message: 'frame 1: missing To, From, Via' }]);
    const seen: string[] = [];
    const streamed = readCapture(file, { onMessage: (m, problems) => seen.push(`${m.callId}: ${problems().map((p) => p.code).join(',')}`) });
    expect(seen).toEqual(['no-via: missing-header']);
    expect(streamed.problems).toEqual([]);
  });

  it('keeps at most maxMessages SIP messages and says how many more there were', () => {
    const read = readCapture(fixture('01-success-200.pcapng'), { limits: { maxMessages: 5 } });
    expect(read.messages).toHaveLength(5);
    expect(read.problems).toEqual([{ code: 'too-many-messages', message: 'only the first 5 SIP messages were kept (9 messages)' }]);
  });

  it('a pcapng SHB with garbage options and an EPB of an unknown interface do not stop the reading', () => {
    const file = pcapngSection([{ linkType: LINK.RAW }], [{ iface: 0, time: 5, data: ipv4('192.0.2.1', '192.0.2.2', 17, udp(1, 2, bytes('not sip'))) }], {
      shbOptions: [[0x2bac, new Uint8Array(13)]],
    });
    const read = readCapture(file);
    expect(read.problems).toEqual([{ code: 'no-sip', message: 'no SIP messages in 1 packet (SIP over TLS cannot be read from a capture)' }]);
  });
});
