import { StoreError } from '../errors/errors.js';

/** One step of a store's schema. Applied in order, once, each recorded in schema_version. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The newest schema version among `migrations`: what this code knows. */
export function knownVersion(migrations: readonly Migration[]): number {
  return Math.max(0, ...migrations.map((m) => m.version));
}

/** Refuses a database written by a newer siptriage: running old code on it could lose or miscount data. */
export function refuseNewer(found: number, known: number, where: string): void {
  if (found > known) {
    throw new StoreError(
      'STORE_SCHEMA_NEWER',
      `the store at ${where} has schema version ${found}, newer than this siptriage knows (${known}): upgrade siptriage, or point DATABASE_URL at another database`,
    );
  }
}
