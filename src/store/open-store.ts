import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../errors/errors.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from '../ports/store.js';
import type { StoreLocation } from './store-location.js';

/**
 * Opens the configured store and brings its schema up to date. Rejects with a StoreError whose message is
 * one line fit to end start-up with (it never includes a password).
 */
export async function openStore(location: StoreLocation, options: { onIdleError?: (err: Error) => void } = {}): Promise<Store> {
  if (location.kind === 'postgres') {
    return PostgresStore.open({ url: location.url, schema: location.schema, ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }) });
  }
  if (location.path !== ':memory:') {
    try {
      mkdirSync(dirname(location.path), { recursive: true });
    } catch (err) {
      throw new StoreError('STORE_UNAVAILABLE', `cannot create the directory for the SQLite store at ${location.path}: ${(err as Error).message}`, { cause: err });
    }
  }
  return SqliteStore.open(location.path);
}
