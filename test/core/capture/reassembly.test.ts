import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import {
  bytes,
  ethernet,
  FLAG,
  fixtureMessages,
  ipv4,
  ipv4Fragments,
  ipv6Fragments,
  LINK,
  pcapFile,
  segments,
  tcp,
  udp,
  wsFrame,
  type Packet,
} from './capture-builder.js';

// Set 16 (SIPp over TCP): INVITE, 100, 180, 200, ACK, BYE, 200. Requests A→B, responses B→A.
const TCP_MESSAGES = fixtureMessages('16-success-tcp');
const A = '192.0.2.10';
const B = '198.51.100.20';
const T0 = 1_795_602_700;
const isRequest = (m: Uint8Array): boolean => !new TextDecoder().decode(m.subarray(0, 4)).startsWith('SIP/');

/** Two TCP byte streams (A→B and B→A) from the messages, each as one buffer with its start sequence number. */
function streams(messages: readonly Uint8Array[]): { ab: Uint8Array; ba: Uint8Array } {
  return { ab: bytes(...messages.filter(isRequest)), ba: bytes(...messages.filter((m) => !isRequest(m))) };
}

function seg(fromA: boolean, seq: number, data: Uint8Array, flags = FLAG.ACK | FLAG.PSH, sport = 40001, dport = 5060): Uint8Array {
  return ethernet(fromA ? ipv4(A, B, 6, tcp(sport, dport, seq, flags, data)) : ipv4(B, A, 6, tcp(dport, sport, seq, flags, data)));
}

function capture(frames: Uint8Array[]): ReturnType<typeof readCapture> {
  const list: Packet[] = frames.map((data, i) => ({ time: T0 + i * 0.01, data }));
  return readCapture(pcapFile(LINK.ETHERNET, list));
}

const handshake = (isnA: number, isnB: number): Uint8Array[] => [
  seg(true, isnA, new Uint8Array(0), FLAG.SYN),
  seg(false, isnB, new Uint8Array(0), FLAG.SYN | FLAG.ACK),
];

describe('TCP reassembly of SIP messages (framed by Content-Length, RFC 3261 §18.3)', () => {
  it('joins messages split across several segments, and splits several messages sent in one segment', () => {
    const { ab, ba } = streams(TCP_MESSAGES);
    const isnA = 1000;
    const isnB = 0xfffffff0; // sequence numbers wrap inside the first response
    const frames = [...handshake(isnA, isnB)];
    // A→B: cut every 97 bytes, so messages and even start lines straddle segments.
    const cuts = Array.from({ length: Math.floor(ab.length / 97) }, (_, i) => (i + 1) * 97);
    const aSegs = segments(ab, cuts, isnA + 1);
    // B→A: everything in two segments (several messages each).
    const bSegs = segments(ba, [Math.floor(ba.length / 2)], isnB + 1);
    for (const s of aSegs) frames.push(seg(true, s.seq, s.data));
    for (const s of bSegs) frames.push(seg(false, s.seq, s.data));
    const read = capture(frames);
    expect(read.problems).toEqual([]);
    const requests = read.messages.filter((m) => m.isRequest).map((m) => m.label);
    const responses = read.messages.filter((m) => m.isResponse).map((m) => m.label);
    expect(requests).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(responses).toEqual(['100 Trying', '180 Ringing', '200 OK', '200 OK']);
    expect(read.messages.every((m) => m.meta.transport === 'TCP')).toBe(true);
    // Byte-exact: the reassembled text is the message that was sent.
    expect(read.messages.filter((m) => m.isRequest).map((m) => m.raw)).toEqual(TCP_MESSAGES.filter(isRequest).map((m) => Buffer.from(m).toString('latin1')));
    // A message is stamped with the frame that completed it, as tshark does.
    const invite = read.messages[0]!;
    const inviteEnd = aSegs.findIndex((s) => s.seq - (isnA + 1) + s.data.length >= TCP_MESSAGES[0]!.length);
    expect(invite.meta.frame).toBe(3 + inviteEnd);
  });

  it('reads both messages wherever one cut splits a two-message stream (every byte position)', () => {
    // A request then a response: the cut passes through both kinds of start line ("SIP/" cut short included).
    const [invite, trying] = TCP_MESSAGES;
    const stream = bytes(invite!, trying!);
    for (let cut = 1; cut < stream.length; cut++) {
      const read = capture([seg(true, 0, new Uint8Array(0), FLAG.SYN), seg(true, 1, stream.subarray(0, cut)), seg(true, 1 + cut, stream.subarray(cut))]);
      expect(read.messages.map((m) => m.label), `cut at ${cut}`).toEqual(['INVITE', '100 Trying']);
    }
  });

  it('puts out-of-order segments back in order and ignores retransmitted and overlapping bytes', () => {
    const { ab } = streams(TCP_MESSAGES);
    const s = segments(ab, [300, 600, 900, 1200], 5001);
    const order = [s[0]!, s[2]!, s[1]!, s[1]!, s[3]!, { seq: s[3]!.seq - 50, data: ab.subarray(s[3]!.seq - 50 - 5001, s[3]!.seq - 5001 + 100) }, s[4]!];
    const read = capture([seg(true, 5000, new Uint8Array(0), FLAG.SYN), ...order.map((x) => seg(true, x.seq, x.data))]);
    expect(read.problems).toEqual([]);
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE', 'ACK', 'BYE']);
  });

  it('picks up a connection already under way (no SYN in the capture) at the next SIP start line', () => {
    const { ab } = streams(TCP_MESSAGES);
    // Starts 200 bytes into the INVITE: that message is lost, the next ones are read.
    const s = segments(ab.subarray(200), [400], 77_000);
    const read = capture(s.map((x) => seg(true, x.seq, x.data)));
    expect(read.messages.map((m) => m.label)).toEqual(['ACK', 'BYE']);
  });

  it('skips a gap the capture never fills and resynchronises on the next message', () => {
    const { ab } = streams(TCP_MESSAGES);
    const s = segments(ab, Array.from({ length: Math.floor(ab.length / 50) }, (_, i) => (i + 1) * 50), 1);
    // Drop one segment inside the INVITE: it cannot be completed, the ACK and BYE after it can.
    const kept = s.filter((_, i) => i !== 3);
    const read = capture([seg(true, 0, new Uint8Array(0), FLAG.SYN), ...kept.map((x) => seg(true, x.seq, x.data))]);
    expect(read.messages.map((m) => m.label)).toEqual(['ACK', 'BYE']);
    expect(read.problems.map((p) => p.code)).toContain('tcp-gap');
  });

  it('reports a message cut off by the end of the connection', () => {
    const invite = TCP_MESSAGES[0]!;
    const read = capture([
      seg(true, 0, new Uint8Array(0), FLAG.SYN),
      seg(true, 1, invite.subarray(0, invite.length - 10)),
      seg(true, 1 + invite.length - 10, new Uint8Array(0), FLAG.FIN | FLAG.ACK),
    ]);
    expect(read.messages).toHaveLength(0);
    expect(read.problems.map((p) => p.code)).toEqual(['tcp-incomplete', 'no-sip']);
  });

  it('skips CRLF keep-alives between messages (RFC 5626 §3.5.1)', () => {
    const [invite, , , , ack] = TCP_MESSAGES;
    const stream = bytes('\r\n\r\n', invite!, '\r\n\r\n', '\r\n', ack!);
    const read = capture([seg(true, 0, new Uint8Array(0), FLAG.SYN), ...segments(stream, [2, 4, 300], 1).map((x) => seg(true, x.seq, x.data))]);
    expect(read.problems).toEqual([]);
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE', 'ACK']);
  });

  it('refuses a Content-Length larger than the per-connection bound without buffering it', () => {
    const forged = bytes('INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\nContent-Length: 4000000000\r\n\r\nv=0\r\n');
    const read = readCapture(pcapFile(LINK.ETHERNET, [{ time: T0, data: seg(true, 1, forged) }]), { limits: { maxFlowBytes: 64 * 1024 } });
    expect(read.messages).toHaveLength(0);
    expect(read.problems.map((p) => p.code)).toContain('tcp-too-large');
  });
});

describe('WebSocket-framed SIP (RFC 7118)', () => {
  const upgrade = bytes(
    'GET / HTTP/1.1\r\nHost: sip.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const accept = bytes('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n');

  it('reads client frames (masked, RFC 6455 §5.3) and server frames (unmasked) after the Upgrade handshake', () => {
    const clientFrames = TCP_MESSAGES.filter(isRequest).map((m, i) => wsFrame(m, { mask: [0x11 * (i + 1), 0x22, 0x33, 0x44] }));
    // A fragmented server message (text frame + continuation), and a ping in between.
    const [r100, ...restResponses] = TCP_MESSAGES.filter((m) => !isRequest(m));
    const serverFrames = [
      wsFrame(r100!.subarray(0, 40), { fin: false }),
      wsFrame(new Uint8Array(0), { opcode: 9 }),
      wsFrame(r100!.subarray(40), { opcode: 0 }),
      ...restResponses.map((m) => wsFrame(m, { opcode: 2 })),
    ];
    const clientStream = bytes(upgrade, ...clientFrames);
    const serverStream = bytes(accept, ...serverFrames);
    const frames = [
      seg(true, 0, new Uint8Array(0), FLAG.SYN, 40001, 8080),
      seg(false, 0, new Uint8Array(0), FLAG.SYN | FLAG.ACK, 40001, 8080),
      ...segments(clientStream, [upgrade.length + 10, upgrade.length + 700], 1).map((x) => seg(true, x.seq, x.data, FLAG.ACK, 40001, 8080)),
      ...segments(serverStream, [accept.length], 1).map((x) => seg(false, x.seq, x.data, FLAG.ACK, 40001, 8080)),
    ];
    const read = capture(frames);
    expect(read.problems).toEqual([]);
    expect(read.messages.filter((m) => m.isRequest).map((m) => m.label)).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(read.messages.filter((m) => m.isResponse).map((m) => m.label)).toEqual(['100 Trying', '180 Ringing', '200 OK', '200 OK']);
    expect(read.messages.every((m) => m.meta.transport === 'WS')).toBe(true);
    expect(read.messages[0]!.raw).toBe(Buffer.from(TCP_MESSAGES[0]!).toString('latin1'));
  });

  it('recognises frames carrying SIP when the capture starts after the handshake', () => {
    const stream = bytes(...TCP_MESSAGES.filter(isRequest).map((m) => wsFrame(m, { mask: [1, 2, 3, 4] })));
    const read = capture(segments(stream, [500], 9).map((x) => seg(true, x.seq, x.data, FLAG.ACK, 40001, 443)));
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE', 'ACK', 'BYE']);
  });

  it('says that compressed (permessage-deflate) messages cannot be read', () => {
    const stream = bytes(upgrade, wsFrame(TCP_MESSAGES[0]!, { rsv1: true, mask: [1, 2, 3, 4] }), wsFrame(TCP_MESSAGES[4]!, { mask: [1, 2, 3, 4] }));
    const read = capture([seg(true, 1, stream, FLAG.ACK, 40001, 8080)]);
    expect(read.messages.map((m) => m.label)).toEqual(['ACK']);
    expect(read.problems.map((p) => p.code)).toEqual(['websocket-compressed']);
  });
});

describe('IP fragment reassembly', () => {
  const invite = fixtureMessages('18-fragmented-udp')[0]!;
  const datagram = udp(5060, 5060, invite);

  it('puts an IPv4 datagram back together from fragments in any order', () => {
    const frags = ipv4Fragments('10.77.0.1', '10.77.0.2', 17, datagram, 800, 0x3dd9);
    expect(frags).toHaveLength(3);
    const read = capture([frags[2]!, frags[0]!, frags[1]!].map((f) => ethernet(f)));
    expect(read.problems).toEqual([]);
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE']);
    expect(read.messages[0]!.raw).toBe(Buffer.from(invite).toString('latin1'));
    expect(read.messages[0]!.meta.frame).toBe(3);
  });

  it('puts an IPv6 datagram back together from its fragment headers (RFC 8200 §4.5)', () => {
    const frags = ipv6Fragments('2001:db8::1', '2001:db8::2', 17, datagram, 1232, 0xabcdef01);
    const read = capture(frags.map((f) => ethernet(f)));
    expect(read.problems).toEqual([]);
    expect(read.messages.map((m) => m.label)).toEqual(['INVITE']);
    expect(read.messages[0]!.meta.src).toEqual({ host: '2001:db8::1', port: 5060 });
  });

  it('drops a datagram whose last fragment never comes, after a count of packets, and says so', () => {
    const frags = ipv4Fragments('10.77.0.1', '10.77.0.2', 17, datagram, 800, 7);
    const filler = ethernet(ipv4('192.0.2.1', '192.0.2.2', 17, udp(1, 2, bytes('x'))));
    const list: Packet[] = [ethernet(frags[0]!), ethernet(frags[1]!), ...new Array<Uint8Array>(600).fill(filler), ethernet(frags[2]!)].map((data, i) => ({ time: T0 + i, data }));
    const read = readCapture(pcapFile(LINK.ETHERNET, list), { limits: { fragmentTimeoutPackets: 500 } });
    expect(read.messages).toHaveLength(0);
    expect(read.problems.map((p) => p.code)).toContain('fragment-incomplete');
  });

  it('keeps at most the configured number of datagrams waiting', () => {
    const list: Packet[] = [];
    for (let id = 0; id < 50; id++) list.push({ time: T0, data: ethernet(ipv4Fragments('10.0.0.1', '10.0.0.2', 17, datagram, 800, id)[0]!) });
    const read = readCapture(pcapFile(LINK.ETHERNET, list), { limits: { maxPendingFragments: 8 } });
    expect(read.problems).toContainEqual({ code: 'fragment-incomplete', message: 'an IP datagram whose fragments never all arrived was dropped (50 datagrams)' });
  });
});
