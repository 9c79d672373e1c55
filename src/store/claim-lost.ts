import { StoreError } from '../errors/errors.js';
import type { DigestKey } from '../ports/store.js';

/** completeDigest by someone whose claim was taken over (its lease ran out) or who never claimed. */
export function claimLost(key: DigestKey, owner: string): StoreError {
  return new StoreError(
    'STORE_CLAIM_LOST',
    `the digest ${key.destination} ${key.period} is not claimed by ${owner} (its lease ran out and another took it over, or it was never claimed)`,
  );
}
