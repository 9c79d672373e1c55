import { SiptriageError } from '../errors/errors.js';

/**
 * Events sent for durable recording were not committed: the store is too far behind to take more
 * (INGEST_STORE_BUSY) or refused the write (INGEST_STORE_FAILED). Either way nothing was acknowledged, and
 * the sender may send the same events again (a callId makes a resent event count once).
 */
export class IngestError extends SiptriageError {
  constructor(code: 'INGEST_STORE_BUSY' | 'INGEST_STORE_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
