/**
 * Places for capture jobs. A capture may be 64 MiB and takes seconds to read: each admitted one holds its
 * bytes until its answer is out, so the number at once bounds the service's memory; one more is turned away
 * with "busy" at once rather than queued behind the others with its bytes held.
 */
export class CaptureJobs {
  readonly limit: number;
  #running = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get running(): number {
    return this.#running;
  }

  /** The release of a place, or undefined when every place is taken. Releasing twice frees one place. */
  admit(): (() => void) | undefined {
    if (this.#running >= this.limit) return undefined;
    this.#running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
    };
  }
}
