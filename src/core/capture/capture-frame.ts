import type { Problem } from '../result.js';
import type { ProblemTally } from './problem-tally.js';

/** One packet record of a capture file, before any protocol is decoded. */
export interface CaptureFrame {
  /** 1-based, as tshark and Wireshark number frames. */
  readonly number: number;
  /** LINKTYPE_* value of the interface the packet was captured on (tcpdump.org/linktypes.html). */
  readonly linkType: number;
  /** Milliseconds since the epoch, with the file's sub-millisecond resolution kept as a fraction. */
  readonly time: number;
  /** The captured bytes. Only valid during the call: the reader reuses the memory. */
  readonly data: Uint8Array;
  /** Length on the wire; more than data.length when the snapshot length cut the packet short. */
  readonly originalLength: number;
}

export type FrameSink = (frame: CaptureFrame) => void;

/**
 * A capture file format read record by record from bytes that arrive in pieces. `decode` reads every whole
 * record in buf from pos on and returns where the first incomplete one starts, with `wanted` set to the bytes
 * it needs from there; it returns -1 when reading must stop, with `fatal` saying why.
 */
export interface FileDecoder {
  readonly format: 'pcap' | 'pcapng';
  readonly wanted: number;
  readonly fatal: Problem | undefined;
  decode(buf: Uint8Array, pos: number, sink: FrameSink): number;
}

export interface DecoderContext {
  readonly maxRecordBytes: number;
  readonly tally: ProblemTally;
}

export function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
