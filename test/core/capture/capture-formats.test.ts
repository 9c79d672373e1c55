import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import {
  bsdLoop,
  bsdNull,
  bytes,
  ethernet,
  fixtureMessages,
  ipv4,
  ipv6,
  linuxSll,
  linuxSll2,
  LINK,
  pcapFile,
  pcapngSection,
  udp,
  type Packet,
} from './capture-builder.js';

// Set 02 (SIPp busy call): INVITE, 100, 180, 486, ACK; requests go A→B, responses B→A.
const MESSAGES = fixtureMessages('02-busy-486');
const T0 = 1_795_602_600.25;
const isRequest = (m: Uint8Array): boolean => !new TextDecoder().decode(m.subarray(0, 4)).startsWith('SIP/');

function udpIp(v: 4 | 6, m: Uint8Array): Uint8Array {
  const [a, b] = v === 4 ? ['192.0.2.10', '198.51.100.20'] : ['2001:db8::10', '2001:db8:0:1::20'];
  const [src, dst] = isRequest(m) ? [a, b] : [b, a];
  const [sp, dp] = isRequest(m) ? [5062, 5080] : [5080, 5062];
  return v === 4 ? ipv4(src, dst, 17, udp(sp, dp, m)) : ipv6(src, dst, 17, udp(sp, dp, m));
}

function packets(frame: (m: Uint8Array) => Uint8Array): Packet[] {
  return MESSAGES.map((m, i) => ({ time: T0 + i * 0.125, data: frame(m) }));
}

function expectBusyCall(read: ReturnType<typeof readCapture>, v: 4 | 6 = 4): void {
  expect(read.problems).toEqual([]);
  expect(read.messages.map((m) => m.label)).toEqual(['INVITE', '100 Trying', '180 Ringing', '486 Busy Here', 'ACK']);
  const invite = read.messages[0]!;
  expect(invite.meta.src).toEqual({ host: v === 4 ? '192.0.2.10' : '2001:db8::10', port: 5062 });
  expect(invite.meta.dst).toEqual({ host: v === 4 ? '198.51.100.20' : '2001:db8:0:1::20', port: 5080 });
  expect(invite.meta.transport).toBe('UDP');
  expect(read.messages[3]!.meta.src?.port).toBe(5080);
  expect(new Set(read.messages.map((m) => m.callId)).size).toBe(1);
}

describe('pcap files', () => {
  for (const little of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${little ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'} files with their timestamps`, () => {
        const read = readCapture(pcapFile(LINK.ETHERNET, packets((m) => ethernet(udpIp(4, m))), { little, nano }));
        expectBusyCall(read);
        expect(read.format).toBe('pcap');
        read.messages.forEach((m, i) => expect(m.meta.time).toBeCloseTo((T0 + i * 0.125) * 1000, 3));
        expect(read.messages.map((m) => m.meta.frame)).toEqual([1, 2, 3, 4, 5]);
      });
    }
  }
});

describe('link layers', () => {
  const cases: [string, number, (m: Uint8Array) => Uint8Array, 4 | 6][] = [
    ['Ethernet', LINK.ETHERNET, (m) => ethernet(udpIp(4, m)), 4],
    ['Ethernet with an 802.1Q VLAN tag', LINK.ETHERNET, (m) => ethernet(udpIp(4, m), [0x8100]), 4],
    ['Ethernet with QinQ (802.1ad outer, 802.1Q inner)', LINK.ETHERNET, (m) => ethernet(udpIp(4, m), [0x88a8, 0x8100]), 4],
    ['Ethernet carrying IPv6', LINK.ETHERNET, (m) => ethernet(udpIp(6, m)), 6],
    ['Linux cooked (SLL)', LINK.SLL, (m) => linuxSll(udpIp(4, m)), 4],
    ['Linux cooked v2 (SLL2)', LINK.SLL2, (m) => linuxSll2(udpIp(4, m)), 4],
    ['SLL2 carrying IPv6', LINK.SLL2, (m) => linuxSll2(udpIp(6, m)), 6],
    ['raw IP (101) with IPv4', LINK.RAW, (m) => udpIp(4, m), 4],
    ['raw IP (101) with IPv6', LINK.RAW, (m) => udpIp(6, m), 6],
    ['LINKTYPE_IPV4 (228)', LINK.IPV4, (m) => udpIp(4, m), 4],
    ['LINKTYPE_IPV6 (229)', LINK.IPV6, (m) => udpIp(6, m), 6],
    ['BSD null loopback, AF_INET', LINK.NULL, (m) => bsdNull(udpIp(4, m), 2), 4],
    ['BSD null loopback, AF_INET6 as macOS writes it (30)', LINK.NULL, (m) => bsdNull(udpIp(6, m), 30), 6],
    ['OpenBSD loop (108), AF_INET in network order', LINK.LOOP, (m) => bsdLoop(udpIp(4, m), 2), 4],
    ['OpenBSD loop (108), AF_INET6 (24)', LINK.LOOP, (m) => bsdLoop(udpIp(6, m), 24), 6],
  ];
  for (const [name, linkType, frame, v] of cases) {
    it(`finds SIP over ${name}`, () => expectBusyCall(readCapture(pcapFile(linkType, packets(frame))), v));
  }

  it('skips IPv6 extension headers (hop-by-hop, destination options) before UDP', () => {
    const frame = (m: Uint8Array): Uint8Array => {
      const ip = udpIp(6, m);
      const [src, dst] = isRequest(m) ? ['2001:db8::10', '2001:db8:0:1::20'] : ['2001:db8:0:1::20', '2001:db8::10'];
      return ipv6(src, dst, 17, ip.subarray(40), [
        [0, Uint8Array.of(1, 4, 0, 0, 0, 0)],
        [60, Uint8Array.of(1, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)],
      ]);
    };
    expectBusyCall(readCapture(pcapFile(LINK.RAW, packets(frame))), 6);
  });

  it('names a link type it cannot read, once, with the count', () => {
    const read = readCapture(pcapFile(147, packets((m) => udpIp(4, m))));
    expect(read.messages).toHaveLength(0);
    expect(read.problems).toContainEqual({ code: 'link-type-147', message: expect.stringMatching(/^packets of link type 147 cannot be read .*\(5 packets\)$/) });
  });

  it('finds SIP on any port, and ignores UDP that is not SIP (RTP, DNS, keep-alives)', () => {
    const rtp = ipv4('192.0.2.10', '198.51.100.20', 17, udp(40000, 40002, bytes([0x80, 0x00, 0, 1], new Array<number>(160).fill(0xd5))));
    const keepalive = ipv4('192.0.2.10', '198.51.100.20', 17, udp(5062, 5080, bytes('\r\n\r\n')));
    const http = ipv4('192.0.2.10', '198.51.100.20', 17, udp(5062, 5080, bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    const list: Packet[] = [{ time: T0, data: ethernet(rtp) }, { time: T0, data: ethernet(keepalive) }, { time: T0, data: ethernet(http) }, ...packets((m) => ethernet(udpIp(4, m)))];
    const read = readCapture(pcapFile(LINK.ETHERNET, list));
    expectBusyCall(read);
    expect(read.messages.map((m) => m.meta.frame)).toEqual([4, 5, 6, 7, 8]);
  });
});

describe('pcapng files', () => {
  it('reads interfaces with their own link types and timestamp resolutions, skipping unknown options and blocks', () => {
    const comment = new TextEncoder().encode('captured for siptriage tests');
    const file = pcapngSection(
      [
        { linkType: LINK.ETHERNET, extraOptions: [[1, comment], [2, new TextEncoder().encode('eth0')]] },
        { linkType: LINK.SLL2, tsresol: 9 },
        { linkType: LINK.RAW, tsresol: 0x94 }, // 2^-20 s units
        { linkType: LINK.IPV4, tsresol: 3, tsoffset: 1000 },
      ],
      MESSAGES.map((m, i) => ({
        iface: i % 4,
        time: T0 + i * 0.125,
        data: [ethernet, linuxSll2, (x: Uint8Array) => x, (x: Uint8Array) => x][i % 4]!(udpIp(4, m)),
      })),
      { shbOptions: [[4, new TextEncoder().encode('siptriage capture-builder')]] },
    );
    // An unknown (custom) block between the packets is skipped by its length.
    const custom = bytes([0xad, 0x0b, 0, 0], [16, 0, 0, 0], [1, 2, 3, 4], [16, 0, 0, 0]);
    const read = readCapture(bytes(file, custom));
    expectBusyCall(read);
    expect(read.format).toBe('pcapng');
    // Each interface's resolution: µs, ns, 2^-20 s (about 1 µs), ms (with a 1000 s offset).
    const tolerance = [0.001, 0.001, 0.001, 1, 0.001];
    read.messages.forEach((m, i) => expect(Math.abs((m.meta.time ?? 0) - (T0 + i * 0.125) * 1000)).toBeLessThanOrEqual(tolerance[i]!));
  });

  it('reads big-endian sections, and a second section whose interface ids start again at 0', () => {
    const first = pcapngSection([{ linkType: LINK.ETHERNET }], MESSAGES.slice(0, 2).map((m, i) => ({ iface: 0, time: T0 + i * 0.125, data: ethernet(udpIp(4, m)) })), { little: false });
    const second = pcapngSection(
      [{ linkType: LINK.RAW }],
      MESSAGES.slice(2).map((m, i) => ({ iface: 0, time: T0 + (i + 2) * 0.125, data: udpIp(4, m) })),
      { little: true },
    );
    const read = readCapture(bytes(first, second));
    expectBusyCall(read);
    read.messages.forEach((m, i) => expect(m.meta.time).toBeCloseTo((T0 + i * 0.125) * 1000, 3));
  });

  it('reads Simple Packet Blocks (interface 0, no timestamp)', () => {
    const file = pcapngSection([{ linkType: LINK.ETHERNET }], MESSAGES.map((m) => ({ iface: 0, time: 0, simple: true, data: ethernet(udpIp(4, m)) })));
    const read = readCapture(file);
    expectBusyCall(read);
    expect(read.messages.every((m) => m.meta.time === undefined)).toBe(true);
  });

  it('skips a packet on an interface no block describes, and one whose captured length overruns its block, and says so', () => {
    const good = pcapngSection([{ linkType: LINK.ETHERNET }], MESSAGES.map((m, i) => ({ iface: i === 1 ? 7 : 0, time: T0, data: ethernet(udpIp(4, m)) })));
    const read = readCapture(good);
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE', '180 Ringing', '486 Busy Here', 'ACK']);
    expect(read.problems).toEqual([{ code: 'bad-block', message: 'skipped a damaged block (packet on interface 7, which no interface block describes)' }]);
  });

  it('stops walking interface options at one whose length runs past the block, keeping the interface', () => {
    const file = pcapngSection([{ linkType: LINK.ETHERNET, extraOptions: [[2, new TextEncoder().encode('eth0')]] }], MESSAGES.map((m) => ({ iface: 0, time: T0, data: ethernet(udpIp(4, m)) })));
    // The first option of the IDB (after SHB of 28 bytes, IDB header 16): make its length field absurd.
    const view = new DataView(file.buffer, file.byteOffset);
    view.setUint16(28 + 16 + 2, 0xfff0, true);
    expectBusyCall(readCapture(file));
  });
});
