/**
 * Faults (the store is down, a platform API failed, the knowledge data is broken) are thrown as
 * SiptriageError subclasses carrying a stable code and the underlying cause. Bad input is never thrown:
 * it is a result value (see result.ts).
 */
export class SiptriageError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class KnowledgeError extends SiptriageError {
  /** The data file at fault, relative to the knowledge root. */
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('KNOWLEDGE_INVALID', `knowledge/${file}: ${message}`, options);
    this.file = file;
  }
}

/** Drawing a diagram failed (the rasteriser rejected the SVG, or ran out of memory). */
export class RenderError extends SiptriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RENDER_FAILED', message, options);
  }
}

/**
 * The store failed: it cannot be opened or reached (STORE_UNAVAILABLE), its schema is newer than this code
 * (STORE_SCHEMA_NEWER), a read or write failed (STORE_FAILED), it was used after close (STORE_CLOSED), or a
 * digest claim was completed by someone who no longer holds it (STORE_CLAIM_LOST).
 */
export class StoreError extends SiptriageError {
  constructor(code: 'STORE_UNAVAILABLE' | 'STORE_SCHEMA_NEWER' | 'STORE_FAILED' | 'STORE_CLOSED' | 'STORE_CLAIM_LOST', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
