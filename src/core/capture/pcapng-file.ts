import type { Problem } from '../result.js';
import { view, type DecoderContext, type FileDecoder, type FrameSink } from './capture-frame.js';
import { readInterface, type PcapngInterface } from './pcapng-interface.js';

// Block types and the byte-order magic (draft-ietf-opsawg-pcapng §4, §11.1).
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OBSOLETE_PB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK = 12;

export function isPcapng(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
}

/**
 * pcapng: a sequence of sections, each a Section Header Block (which fixes the byte order for the section)
 * followed by Interface Description Blocks and packet blocks. Interfaces are numbered per section and each
 * has its own link type and timestamp resolution. Unknown blocks and options are skipped by their lengths.
 */
export class PcapngDecoder implements FileDecoder {
  readonly format = 'pcapng' as const;
  wanted = MIN_BLOCK;
  fatal: Problem | undefined;
  readonly #ctx: DecoderContext;
  #little = true;
  #inSection = false;
  #interfaces: PcapngInterface[] = [];
  #frames = 0;
  #blocks = 0;

  constructor(ctx: DecoderContext) {
    this.#ctx = ctx;
  }

  decode(buf: Uint8Array, start: number, sink: FrameSink): number {
    const v = view(buf);
    let pos = start;
    while (buf.length - pos >= MIN_BLOCK) {
      // The SHB type reads the same in both byte orders; every other block is in its section's order.
      const type = v.getUint32(pos, this.#little);
      if (type === SHB) {
        // The byte order of a section, its own header included, is given by the magic inside that header.
        const magic = v.getUint32(pos + 8, true);
        if (magic === BYTE_ORDER_MAGIC) this.#little = true;
        else if (magic === 0x4d3c2b1a) this.#little = false;
        else return this.#stop('capture-magic', `block ${this.#blocks + 1}: a section header without the byte-order magic`);
      } else if (!this.#inSection) {
        return this.#stop('capture-magic', 'not a pcapng file: it does not start with a section header');
      }
      const length = v.getUint32(pos + 4, this.#little);
      if (length < MIN_BLOCK || length % 4 !== 0 || length > this.#ctx.maxRecordBytes) {
        return this.#stop('absurd-length', `block ${this.#blocks + 1} claims a length of ${length} bytes; the file is damaged from there on`);
      }
      if (buf.length - pos < length) {
        this.wanted = length;
        return pos;
      }
      if (v.getUint32(pos + length - 4, this.#little) !== length) {
        return this.#stop('block-length', `block ${this.#blocks + 1}: its two length fields disagree; the file is damaged from there on`);
      }
      this.#blocks++;
      const block = buf.subarray(pos, pos + length);
      if (type === SHB) {
        const problem = this.#section(block);
        if (problem !== undefined) return this.#stop(problem.code, problem.message);
      } else if (type === IDB) {
        this.#interfaces.push(readInterface(block, this.#little));
      } else if (type === EPB || type === OBSOLETE_PB) {
        this.#packet(block, type, sink);
      } else if (type === SPB) {
        this.#simple(block, sink);
      }
      // Anything else (name resolution, statistics, decryption secrets, custom blocks) is skipped by length.
      pos += length;
    }
    this.wanted = MIN_BLOCK;
    return pos;
  }

  #section(block: Uint8Array): Problem | undefined {
    if (block.length < 28) return { code: 'absurd-length', message: 'a section header block shorter than its fixed fields' };
    const major = view(block).getUint16(12, this.#little);
    if (major !== 1) return { code: 'capture-version', message: `pcapng major version ${major} is not 1` };
    this.#inSection = true;
    // Interface ids restart at 0 in every section (§4.2).
    this.#interfaces = [];
    return undefined;
  }

  // Enhanced Packet Block (§4.3) and the obsolete Packet Block (Appendix A): interface, 64-bit time, lengths.
  #packet(block: Uint8Array, type: number, sink: FrameSink): void {
    const v = view(block);
    const little = this.#little;
    if (block.length < 32) return this.#skip('packet block shorter than its fixed fields');
    const ifId = type === EPB ? v.getUint32(8, little) : v.getUint16(8, little);
    const captured = v.getUint32(20, little);
    const original = v.getUint32(24, little);
    if (28 + captured > block.length - 4) return this.#skip('packet block whose captured length runs past the block');
    const iface = this.#interfaces[ifId];
    if (iface === undefined) return this.#skip(`packet on interface ${ifId}, which no interface block describes`);
    const time = (v.getUint32(12, little) * 4294967296 + v.getUint32(16, little)) / iface.unitsPerMs + iface.offsetMs;
    sink({ number: ++this.#frames, linkType: iface.linkType, time, data: block.subarray(28, 28 + captured), originalLength: original });
  }

  // Simple Packet Block (§4.4): interface 0, no time; the captured length follows from the block and snaplen.
  #simple(block: Uint8Array, sink: FrameSink): void {
    const iface = this.#interfaces[0];
    if (block.length < 16) return this.#skip('simple packet block shorter than its fixed fields');
    if (iface === undefined) return this.#skip('simple packet block before any interface block');
    const original = view(block).getUint32(8, this.#little);
    let captured = Math.min(original, block.length - 16);
    if (iface.snapLength > 0) captured = Math.min(captured, iface.snapLength);
    sink({ number: ++this.#frames, linkType: iface.linkType, time: Number.NaN, data: block.subarray(12, 12 + captured), originalLength: original });
  }

  #skip(what: string): void {
    this.#frames++;
    this.#ctx.tally.note('bad-block', `skipped a damaged block (${what})`, 'block');
  }

  #stop(code: string, message: string): number {
    this.fatal = { code, message };
    return -1;
  }
}
