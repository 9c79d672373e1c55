import type { CaptureFrame } from './capture-frame.js';
import type { CaptureLimits } from './capture-limits.js';
import { FragmentReassembler } from './ip-fragments.js';
import { parseIp, skipExtensions } from './ip-packet.js';
import { networkLayer } from './link-layer.js';
import type { ProblemTally } from './problem-tally.js';
import { sipStartLine, skipBlankLines } from './sip-bytes.js';
import type { Endpoints, FrameStamp } from './stream-direction.js';
import { TcpStreams } from './tcp-streams.js';

const UDP = 17;
const TCP = 6;

/** A SIP payload found in a packet or stream; `bytes` is only valid during the call. */
export type SipPayloadSink = (bytes: Uint8Array, ends: Endpoints, transport: 'UDP' | 'TCP' | 'WS', frame: FrameStamp) => void;

/** A UDP datagram that is not SIP (media, for the media analyser); `bytes` is only valid during the call. */
export type DatagramSink = (bytes: Uint8Array, src: string, srcPort: number, dst: string, dstPort: number, time: number, frame: number) => void;

/**
 * Takes frames from a capture file down through the link layer, IP (with fragment reassembly), UDP and TCP
 * (with stream reassembly) to the SIP payloads they carry. SIP is told by its start line, on any port.
 */
export class PacketReader {
  readonly #tally: ProblemTally;
  readonly #fragments: FragmentReassembler;
  readonly #tcp: TcpStreams;
  readonly #sink: SipPayloadSink;
  readonly #datagram: DatagramSink | undefined;

  constructor(limits: CaptureLimits, tally: ProblemTally, sink: SipPayloadSink, datagram?: DatagramSink) {
    this.#tally = tally;
    this.#sink = sink;
    this.#datagram = datagram;
    this.#fragments = new FragmentReassembler({ maxPending: limits.maxPendingFragments, timeoutPackets: limits.fragmentTimeoutPackets }, tally);
    this.#tcp = new TcpStreams(limits, tally, (bytes, transport, d) => this.#sink(bytes, d.ends, transport, d.stamp));
  }

  get tcp(): TcpStreams {
    return this.#tcp;
  }

  get pendingFragments(): number {
    return this.#fragments.pending;
  }

  read(frame: CaptureFrame): void {
    const link = networkLayer(frame.linkType, frame.data);
    if (!link.ok) {
      if (link.reason === 'unsupported') {
        this.#tally.note(`link-type-${frame.linkType}`, `packets of link type ${frame.linkType} cannot be read (Ethernet, Linux cooked, raw IP and BSD loopback can)`);
      }
      return;
    }
    const ip = parseIp(frame.data, link.offset, link.version);
    if (!ip.ok) {
      this.#tally.note('bad-ip', `skipped a damaged IP packet (${ip.reason})`);
      return;
    }
    const packet = ip.packet;
    let payload = packet.payload;
    let protocol = packet.protocol;
    if (frame.number % 256 === 0) this.#fragments.expire(frame.number);
    if (packet.fragment !== undefined) {
      const key = `${packet.version}|${packet.src}|${packet.dst}|${protocol}|${packet.fragment.id}`;
      const whole = this.#fragments.add(key, packet.fragment.offset, packet.fragment.more, payload, frame.number);
      if (whole === undefined) return;
      payload = whole;
      if (packet.version === 6) {
        const chain = skipExtensions(whole, 0, whole.length, protocol);
        if (!chain.ok) return;
        protocol = chain.next;
        payload = whole.subarray(chain.pos);
      }
    }
    if (packet.cut) this.#tally.note('snaplen', 'packets were cut short by the capture\'s snapshot length; SIP in them may be incomplete');
    if (protocol === UDP) this.#udp(packet.src, packet.dst, payload, frame);
    else if (protocol === TCP) this.#tcpSegment(packet.src, packet.dst, payload, frame);
  }

  /** The capture has ended: report what was still waiting for more packets. */
  finish(): void {
    this.#fragments.finish();
    this.#tcp.finish();
  }

  // RFC 768: ports, length (header included), checksum.
  #udp(src: string, dst: string, b: Uint8Array, frame: CaptureFrame): void {
    if (b.length < 8) return;
    const length = (b[4]! << 8) | b[5]!;
    const end = length >= 8 ? Math.min(b.length, length) : b.length;
    const start = skipBlankLines(b, 8, end);
    if (start === end || sipStartLine(b, start, end) < 0) {
      this.#datagram?.(b.subarray(8, end), src, (b[0]! << 8) | b[1]!, dst, (b[2]! << 8) | b[3]!, frame.time, frame.number);
      return;
    }
    const ends = { src, srcPort: (b[0]! << 8) | b[1]!, dst, dstPort: (b[2]! << 8) | b[3]! };
    this.#sink(b.subarray(start, end), ends, 'UDP', frame);
  }

  // RFC 9293 §3.1: ports, sequence number, data offset, flags.
  #tcpSegment(src: string, dst: string, b: Uint8Array, frame: CaptureFrame): void {
    if (b.length < 20) return;
    const offset = (b[12]! >> 4) * 4;
    if (offset < 20 || offset > b.length) return;
    const seq = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) | 0;
    const ends = { src, srcPort: (b[0]! << 8) | b[1]!, dst, dstPort: (b[2]! << 8) | b[3]! };
    this.#tcp.segment(ends, seq, b[13]! & 0x07, b.subarray(offset), { number: frame.number, time: frame.time });
  }
}
