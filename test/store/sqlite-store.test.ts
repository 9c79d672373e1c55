import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ev, storeContract, type StoreEngine } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'siptriage-sqlite-'));
let n = 0;

const sqlite: StoreEngine = {
  name: 'SQLite (a temporary file, WAL)',
  async fresh() {
    const path = join(root, `store-${++n}.db`);
    return {
      open: () => openStore({ kind: 'sqlite', path }),
      async writeSchemaVersion(version) {
        const db = new Database(path);
        db.prepare('INSERT INTO schema_version (version, name, created_at) VALUES (?, ?, ?)').run(version, 'from the future', Date.now());
        db.close();
      },
      async storedEvent(hash) {
        const db = new Database(path, { readonly: true });
        try {
          return db.prepare('SELECT peer, product, findings, method FROM events WHERE call_id_hash = ?').get(hash) as never;
        } finally {
          db.close();
        }
      },
    };
  },
  async cleanup() {
    rmSync(root, { recursive: true, force: true });
  },
};

storeContract(sqlite);

describe('the SQLite store itself', () => {
  const root = mkdtempSync(join(tmpdir(), 'siptriage-sqlite-own-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs in WAL mode with full syncs, so an acknowledged batch is on disk', () => {
    const path = join(root, 'pragmas.db');
    const store = SqliteStore.open(path);
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    void store.close();
  });

  it('works in memory for tests and keeps nothing after close', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    expect(await store.recordEvents([ev()])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await store.info()).toMatchObject({ schemaVersion: 1 });
    await store.close();
  });

  it('creates the directory of a new store file', async () => {
    const path = join(root, 'nested', 'deeper', 'siptriage.db');
    const store = await openStore({ kind: 'sqlite', path });
    await store.close();
    expect(new Database(path, { readonly: true }).prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 1 });
  });

  it('fails to open with a StoreError naming the file, not a driver stack trace', async () => {
    await expect(openStore({ kind: 'sqlite', path: join(root, 'pragmas.db', 'inside-a-file.db') })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/^cannot create the directory for the SQLite store at .*inside-a-file\.db: /),
    });
    const notADb = join(root, 'garbage.db');
    (await import('node:fs')).writeFileSync(notADb, 'this is not a database, just text long enough to have a header'.repeat(100));
    await expect(openStore({ kind: 'sqlite', path: notADb })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/^cannot open the SQLite store at .*garbage\.db: file is not a database$/) });
  });
});
