import { view } from './capture-frame.js';

export interface PcapngInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per millisecond: 1000 for the default microseconds, 1e6 for nanoseconds. */
  readonly unitsPerMs: number;
  /** if_tsoffset, in milliseconds: added to every timestamp of the interface. */
  readonly offsetMs: number;
}

const OPT_ENDOFOPT = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/**
 * Reads an Interface Description Block (draft-ietf-opsawg-pcapng §4.2): link type, snapshot length, and the
 * two options that change how its timestamps read. Options are walked by their lengths and the walk stops at
 * the first one that would run past the block, so a damaged option cannot take the reader out of bounds.
 */
export function readInterface(block: Uint8Array, little: boolean): PcapngInterface {
  const v = view(block);
  if (block.length < 20) return { linkType: -1, snapLength: 0, unitsPerMs: 1000, offsetMs: 0 };
  const linkType = v.getUint16(8, little);
  const snapLength = v.getUint32(12, little);
  let unitsPerMs = 1000;
  let offsetMs = 0;
  const end = block.length - 4;
  let pos = 16;
  while (pos + 4 <= end) {
    const code = v.getUint16(pos, little);
    const length = v.getUint16(pos + 2, little);
    if (code === OPT_ENDOFOPT || pos + 4 + length > end) break;
    if (code === IF_TSRESOL && length >= 1) {
      // The top bit picks a power of two, otherwise a power of ten (§4.2, if_tsresol).
      const r = block[pos + 4] ?? 6;
      const perSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      if (Number.isFinite(perSecond) && perSecond >= 1) unitsPerMs = perSecond / 1000;
    } else if (code === IF_TSOFFSET && length >= 8) {
      const high = v.getInt32(pos + 4 + (little ? 4 : 0), little);
      const low = v.getUint32(pos + 4 + (little ? 0 : 4), little);
      offsetMs = (high * 4294967296 + low) * 1000;
    }
    pos += 4 + ((length + 3) & ~3);
  }
  return { linkType, snapLength, unitsPerMs, offsetMs };
}
