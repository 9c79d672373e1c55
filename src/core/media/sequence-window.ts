/**
 * Extended sequence numbers (RFC 3550 §A.1) and a window of the last 1,024 seen, to tell a duplicate from a
 * late packet in constant memory per stream. Large jumps are taken as a sender restart, as A.1 advises.
 */
const WINDOW = 1024;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class SequenceWindow {
  readonly #seen = new Uint32Array(WINDOW / 32);
  #max = -1;
  /** Extended number of the first packet, or of the packet a restart began with. */
  base = 0;
  duplicates = 0;
  outOfOrder = 0;

  /** The extended sequence number of a new packet, counting it as a duplicate or out of order when so. */
  add(seq: number): number {
    if (this.#max < 0) {
      this.#max = seq;
      this.base = seq;
      this.#set(seq);
      return seq;
    }
    const maxSeq = this.#max & 0xffff;
    const udelta = (seq - maxSeq) & 0xffff;
    if (udelta === 0) {
      this.duplicates++;
      return this.#max;
    }
    if (udelta < MAX_DROPOUT) {
      const ext = this.#max + udelta;
      // Forget the bits the window moves past, so that a wrap does not look like a duplicate.
      for (let s = this.#max + 1; s < ext && s <= this.#max + WINDOW; s++) this.#clear(s);
      this.#max = ext;
      this.#set(ext);
      return ext;
    }
    if (udelta <= 0x10000 - MAX_MISORDER) {
      // A jump too large to be loss: the sender restarted its sequence.
      this.#seen.fill(0);
      this.#max = this.#max - maxSeq + 0x10000 * 2 + seq;
      this.base = this.#max;
      this.#set(this.#max);
      return this.#max;
    }
    const ext = this.#max - (0x10000 - udelta);
    if (this.#max - ext < WINDOW && this.#has(ext)) this.duplicates++;
    else {
      this.outOfOrder++;
      if (this.#max - ext < WINDOW) this.#set(ext);
    }
    return ext;
  }

  #set(s: number): void {
    const i = s % WINDOW;
    this.#seen[i >> 5]! |= 1 << (i & 31);
  }

  #clear(s: number): void {
    const i = s % WINDOW;
    this.#seen[i >> 5]! &= ~(1 << (i & 31));
  }

  #has(s: number): boolean {
    const i = s % WINDOW;
    return (this.#seen[i >> 5]! & (1 << (i & 31))) !== 0;
  }
}
