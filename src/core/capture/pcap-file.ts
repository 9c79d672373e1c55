import type { Problem } from '../result.js';
import { view, type DecoderContext, type FileDecoder, type FrameSink } from './capture-frame.js';

// Magic numbers of the classic format, as written by the capturing host (pcap-savefile(5); IETF
// draft-ietf-opsawg-pcap §4): microsecond, nanosecond, and Alexey Kuznetzov's patched format (longer records).
const MICRO = 0xa1b2c3d4;
const NANO = 0xa1b23c4d;
const KUZNETZOV = 0xa1b2cd34;
const GLOBAL_HEADER = 24;

/** The pcap magic of the first four bytes, in either byte order, or undefined. */
export function pcapMagic(b: Uint8Array): { little: boolean; nano: boolean; recordHeader: number } | undefined {
  if (b.length < 4) return undefined;
  const v = view(b);
  for (const little of [true, false]) {
    const m = v.getUint32(0, little);
    if (m === MICRO || m === NANO || m === KUZNETZOV) return { little, nano: m === NANO, recordHeader: m === KUZNETZOV ? 24 : 16 };
  }
  return undefined;
}

/** Classic libpcap files: a 24-byte global header, then records of a 16-byte header and the packet bytes. */
export class PcapDecoder implements FileDecoder {
  readonly format = 'pcap' as const;
  wanted = GLOBAL_HEADER;
  fatal: Problem | undefined;
  readonly #ctx: DecoderContext;
  #little = true;
  #nano = false;
  #recordHeader = 16;
  #linkType = -1;
  #frames = 0;

  constructor(ctx: DecoderContext) {
    this.#ctx = ctx;
  }

  decode(buf: Uint8Array, start: number, sink: FrameSink): number {
    const v = view(buf);
    let pos = start;
    if (this.#linkType === -1) {
      if (buf.length - pos < GLOBAL_HEADER) return pos;
      const magic = pcapMagic(buf.subarray(pos));
      if (magic === undefined) return this.#stop('capture-magic', 'not a pcap file: the magic number is wrong');
      this.#little = magic.little;
      this.#nano = magic.nano;
      this.#recordHeader = magic.recordHeader;
      const major = v.getUint16(pos + 4, this.#little);
      if (major !== 2) return this.#stop('capture-version', `pcap version ${major} is not 2, the only one there is`);
      // The link type is the low 16 bits; the top four may carry an FCS length (draft-ietf-opsawg-pcap §4).
      this.#linkType = v.getUint32(pos + 20, this.#little) & 0xffff;
      pos += GLOBAL_HEADER;
    }
    const header = this.#recordHeader;
    const little = this.#little;
    const divisor = this.#nano ? 1e6 : 1e3;
    while (buf.length - pos >= header) {
      const captured = v.getUint32(pos + 8, little);
      if (captured > this.#ctx.maxRecordBytes) {
        return this.#stop(
          'absurd-length',
          `packet record ${this.#frames + 1} claims ${captured} captured bytes, more than any real packet; the file is damaged from there on`,
        );
      }
      if (buf.length - pos - header < captured) {
        this.wanted = header + captured;
        return pos;
      }
      const seconds = v.getUint32(pos, little);
      const fraction = v.getUint32(pos + 4, little);
      const original = v.getUint32(pos + 12, little);
      const dataStart = pos + header;
      sink({
        number: ++this.#frames,
        linkType: this.#linkType,
        time: seconds * 1000 + fraction / divisor,
        data: buf.subarray(dataStart, dataStart + captured),
        originalLength: original,
      });
      pos = dataStart + captured;
    }
    this.wanted = header;
    return pos;
  }

  #stop(code: string, message: string): number {
    this.fatal = { code, message };
    return -1;
  }
}
