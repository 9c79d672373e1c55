import Database from 'better-sqlite3';
import type { QueryEvent, StoredEvent } from '../../src/ports/store.js';

/**
 * What an SQLite store file holds, read on a connection of the test's own (WAL lets it read beside the
 * store's). The Store interface reads counts only; tests that check where an event came from look here.
 */
export function storedEvents(path: string): StoredEvent[] {
  return read(path, (db) =>
    (db.prepare('SELECT * FROM events ORDER BY rowid').all() as Record<string, unknown>[]).map((r) => ({
      time: Number(r['time']),
      kind: r['kind'] as StoredEvent['kind'],
      code: Number(r['code']),
      method: String(r['method']),
      peer: r['peer'] === '' ? null : String(r['peer']),
      product: (r['product'] as string | null) ?? null,
      q850: (r['q850'] as number | null) ?? null,
      findings: JSON.parse(String(r['findings'])) as string[],
      callIdHash: String(r['call_id_hash']),
      surface: r['surface'] as StoredEvent['surface'],
      workspace: (r['workspace'] as string | null) ?? null,
      channel: (r['channel'] as string | null) ?? null,
    })),
  );
}

export function storedQueries(path: string): QueryEvent[] {
  return read(path, (db) => db.prepare('SELECT time, surface, kind FROM queries ORDER BY id').all() as QueryEvent[]);
}

function read<T>(path: string, f: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return f(db);
  } finally {
    db.close();
  }
}
