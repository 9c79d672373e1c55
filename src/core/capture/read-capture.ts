import type { Problem } from '../result.js';
import { parseSipMessage } from '../sip/parse-message.js';
import type { MessageMeta, SipMessage } from '../sip/message.js';
import type { CaptureFrame, FileDecoder } from './capture-frame.js';
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './capture-limits.js';
import { PacketReader } from './packet-reader.js';
import { isPcapng, PcapngDecoder } from './pcapng-file.js';
import { PcapDecoder, pcapMagic } from './pcap-file.js';
import { ProblemTally } from './problem-tally.js';
import type { Endpoints, FrameStamp } from './stream-direction.js';
import type { MediaSink } from '../media/media-analyzer.js';

export interface CaptureOptions {
  readonly limits?: Partial<CaptureLimits>;
  /**
   * Receives each SIP message as it is read, instead of the reader keeping them (for very large captures).
   * `problems` lists what the parser found wrong with it, worked out only when called: the checks need
   * every header split, which costs as much again as reading the message.
   */
  readonly onMessage?: (message: SipMessage, problems: () => readonly Problem[]) => void;
  /** Also receives each SIP message, and every UDP datagram that is not SIP: the media analyser. */
  readonly media?: MediaSink;
}

export interface CaptureStats {
  readonly frames: number;
  readonly bytes: number;
  readonly sipMessages: number;
}

export interface CaptureRead {
  readonly format: 'pcap' | 'pcapng' | 'none';
  readonly messages: readonly SipMessage[];
  readonly problems: readonly Problem[];
  readonly stats: CaptureStats;
}

/** Whether the bytes start like a pcap or pcapng file. */
export function captureFormat(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (isPcapng(bytes)) return 'pcapng';
  return pcapMagic(bytes) === undefined ? undefined : 'pcap';
}

const MAX_PARSE_PROBLEMS = 100;
const READING_STOPPED = new Set(['truncated', 'absurd-length', 'block-length', 'capture-magic', 'capture-version', 'capture-error', 'capture-damaged']);

/**
 * Reads the SIP messages out of a pcap or pcapng capture that arrives in chunks of any size (push each,
 * then end). Whatever the bytes are, it never throws and never holds more than the limits allow: a wrong
 * magic number, an absurd length or a file cut short ends the reading with a problem saying so, and keeps
 * the messages read before it.
 */
export class CaptureReader {
  readonly #limits: CaptureLimits;
  readonly #onMessage: CaptureOptions['onMessage'];
  readonly #media: MediaSink | undefined;
  readonly #tally = new ProblemTally();
  readonly #packets: PacketReader;
  readonly #messages: SipMessage[] = [];
  /** Parse outcomes of the kept messages, whose problems are collected once, at the end. */
  readonly #parsed: { readonly problems: readonly Problem[] }[] = [];
  readonly #problems: Problem[] = [];
  readonly #decoder = new TextDecoder('utf-8');
  #file: FileDecoder | undefined;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #stopped = false;
  #frames = 0;
  #bytes = 0;
  #sip = 0;
  #parseProblems = 0;

  constructor(options: CaptureOptions = {}) {
    this.#limits = { ...DEFAULT_CAPTURE_LIMITS, ...options.limits };
    this.#onMessage = options.onMessage;
    const media = (this.#media = options.media);
    this.#packets = new PacketReader(
      this.#limits,
      this.#tally,
      (bytes, ends, transport, frame) => this.#sipPayload(bytes, ends, transport, frame),
      media === undefined ? undefined : (b, src, srcPort, dst, dstPort, time, frame) => media.datagram(b, src, srcPort, dst, dstPort, time, frame),
    );
  }

  push(input: Uint8Array): void {
    if (this.#stopped || input.length === 0) return;
    // A Node Buffer's subarray() builds a Buffer through JavaScript; a plain Uint8Array's is native, and a
    // capture takes several views per packet (frame, IP payload, UDP payload): read it as a plain view.
    const chunk = Object.getPrototypeOf(input) === Uint8Array.prototype ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.#bytes += chunk.length;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#file === undefined) {
      if (this.#pendingBytes < 4) return;
      const head = this.#joined();
      const format = captureFormat(head);
      if (format === undefined) {
        const hex = [...head.subarray(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
        this.#stop({ code: 'capture-magic', message: `not a pcap or pcapng capture: it starts with bytes ${hex}, not a capture file's magic number` });
        return;
      }
      const ctx = { maxRecordBytes: this.#limits.maxRecordBytes, tally: this.#tally };
      this.#file = format === 'pcap' ? new PcapDecoder(ctx) : new PcapngDecoder(ctx);
    }
    // Wait until the next record is whole: a big record arriving in small chunks is joined once, not per chunk.
    if (this.#pendingBytes < this.#file.wanted) return;
    const buf = this.#joined();
    let pos: number;
    try {
      pos = this.#file.decode(buf, 0, this.#onFrame);
    } catch (err) {
      // Every read is bounds-checked; this is a last line of defence so a bug cannot crash a chat bot.
      this.#stop({ code: 'capture-error', message: `reading stopped at an unexpected error: ${(err as Error).message}` });
      return;
    }
    if (pos === -1) {
      this.#stop(this.#file.fatal ?? { code: 'capture-damaged', message: 'the capture is damaged' });
      return;
    }
    const rest = buf.subarray(pos);
    // Copied: the caller may reuse the chunk's memory once push returns.
    this.#pending = rest.length === 0 ? [] : [rest.slice()];
    this.#pendingBytes = rest.length;
  }

  /** What the reader holds right now, to check that memory stays within the limits whatever the input. */
  get held(): { readonly fileBytes: number; readonly tcpBytes: number; readonly tcpFlows: number; readonly fragments: number } {
    return { fileBytes: this.#pendingBytes, tcpBytes: this.#packets.tcp.heldBytes, tcpFlows: this.#packets.tcp.flows, fragments: this.#packets.pendingFragments };
  }

  end(): CaptureRead {
    if (!this.#stopped) {
      if (this.#file === undefined) {
        this.#problems.push({ code: 'capture-magic', message: this.#bytes === 0 ? 'the capture is empty' : 'the capture is too short to have a header' });
      } else if (this.#pendingBytes > 0) {
        this.#problems.push({
          code: 'truncated',
          message: `the capture ends in the middle of a ${this.#file.format === 'pcap' ? 'packet record' : 'block'} (${this.#pendingBytes} of ${this.#file.wanted} bytes): it was cut short, and everything before that point was read`,
        });
      }
    }
    this.#stopped = true;
    this.#packets.finish();
    this.#pending = [];
    const problems = [...this.#problems];
    this.#messages.forEach((m, i) => {
      for (const p of this.#parsed[i]?.problems ?? []) {
        if (++this.#parseProblems <= MAX_PARSE_PROBLEMS) problems.push({ code: p.code, message: `frame ${m.meta.frame ?? '?'}: ${p.message}` });
      }
    });
    this.#parsed.length = 0;
    problems.push(...this.#tally.problems());
    if (this.#parseProblems > MAX_PARSE_PROBLEMS) {
      problems.push({ code: 'more-problems', message: `${this.#parseProblems - MAX_PARSE_PROBLEMS} more problems in SIP messages were not listed` });
    }
    // "No SIP" only when the whole file was read: a damaged one already says why there is nothing.
    if (this.#sip === 0 && this.#file !== undefined && this.#problems.every((p) => !READING_STOPPED.has(p.code))) {
      problems.push({ code: 'no-sip', message: `no SIP messages in ${this.#frames} packet${this.#frames === 1 ? '' : 's'} (SIP over TLS cannot be read from a capture)` });
    }
    return {
      format: this.#file?.format ?? 'none',
      messages: this.#messages,
      problems,
      stats: { frames: this.#frames, bytes: this.#bytes, sipMessages: this.#sip },
    };
  }

  readonly #onFrame = (frame: CaptureFrame): void => {
    this.#frames = frame.number;
    this.#packets.read(frame);
  };

  #sipPayload(bytes: Uint8Array, ends: Endpoints, transport: string, frame: FrameStamp): void {
    if (this.#sip >= this.#limits.maxMessages) {
      this.#tally.note('too-many-messages', `only the first ${this.#limits.maxMessages} SIP messages were kept`, 'message');
      return;
    }
    const src = { host: ends.src, port: ends.srcPort };
    const dst = { host: ends.dst, port: ends.dstPort };
    const format = this.#file?.format ?? 'pcap';
    // Two literals rather than a conditional spread: spreading here made every message's metadata a slow
    // object, and reading a 100 MB capture twice as slow.
    const meta: MessageMeta = Number.isNaN(frame.time)
      ? { src, dst, transport, format, frame: frame.number }
      : { time: frame.time, src, dst, transport, format, frame: frame.number };
    const parsed = parseSipMessage(this.#decoder.decode(bytes), { meta });
    if (!parsed.ok) {
      for (const p of parsed.problems) {
        if (++this.#parseProblems <= MAX_PARSE_PROBLEMS) this.#problems.push({ code: p.code, message: `frame ${frame.number}: ${p.message}` });
      }
      return;
    }
    this.#sip++;
    this.#media?.message(parsed.message);
    if (this.#onMessage === undefined) {
      this.#messages.push(parsed.message);
      this.#parsed.push(parsed);
    } else this.#onMessage(parsed.message, () => parsed.problems);
  }

  #joined(): Uint8Array {
    if (this.#pending.length === 1) return this.#pending[0]!;
    const out = new Uint8Array(this.#pendingBytes);
    let at = 0;
    for (const p of this.#pending) {
      out.set(p, at);
      at += p.length;
    }
    this.#pending = [out];
    return out;
  }

  #stop(problem: Problem): void {
    this.#problems.push(problem);
    this.#stopped = true;
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

/** Reads a whole capture held in memory. */
export function readCapture(bytes: Uint8Array, options: CaptureOptions = {}): CaptureRead {
  const reader = new CaptureReader(options);
  reader.push(bytes);
  return reader.end();
}
