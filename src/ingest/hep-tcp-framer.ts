/**
 * Cuts a TCP byte stream into HEPv3 packets by the length in each header ("HEP3", 16-bit total length;
 * HEP3 spec §2). HEPv1/v2 have no total length and cannot be framed on a stream, so anything that does not
 * start with "HEP3" ends the connection: after garbage there is no way to find the next packet boundary.
 * Holds at most one partial packet (64 KiB).
 */
export class HepTcpFramer {
  #pending: Buffer | undefined;

  /** Bytes of a frame begun but not yet complete (0 between frames). */
  get pendingBytes(): number {
    return this.#pending?.length ?? 0;
  }

  /** Feeds bytes; returns complete packets, or 'garbage' when the stream cannot be HEPv3. */
  push(chunk: Buffer): Buffer[] | 'garbage' {
    let buf = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = undefined;
    const out: Buffer[] = [];
    while (buf.length >= 6) {
      if (buf[0] !== 0x48 || buf[1] !== 0x45 || buf[2] !== 0x50 || buf[3] !== 0x33) return 'garbage';
      const length = buf.readUInt16BE(4);
      if (length < 6) return 'garbage';
      if (buf.length < length) break;
      // A copy, so that a frame held for a call in progress does not keep the whole read chunk alive.
      out.push(Buffer.from(buf.subarray(0, length)));
      buf = buf.subarray(length);
    }
    // Copy the remainder so the large chunk it came from can be freed.
    if (buf.length > 0) this.#pending = Buffer.from(buf);
    return out;
  }
}
