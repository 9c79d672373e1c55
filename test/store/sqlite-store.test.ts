import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { callKey } from '../../src/store/call-key.js';
import { openStore } from '../../src/store/open-store.js';
import { migrateSqlite, SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ev, H, storeContract, T0, type StoreEngine } from './store-contract.js';
import { probeStoreContract } from './probe-store-contract.js';
import { qualityContract } from './quality-contract.js';
import { callStoreContract } from './call-store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'siptriage-sqlite-'));
let n = 0;

const sqlite: StoreEngine = {
  name: 'SQLite (a temporary file, WAL)',
  schemaVersion: 6,
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
callStoreContract(sqlite);
probeStoreContract(sqlite);
qualityContract(sqlite);

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

  it('upgrades a version 1 store with data in it: old calls stay deduplicated, code counts come from the new roll-up', async () => {
    const path = join(root, 'v1.db');
    const db = new Database(path);
    migrateSqlite(db, path, SQLITE_MIGRATIONS.filter((m) => m.version === 1));
    const old = [ev({ code: 503, time: T0 }), ev({ code: 503, time: T0 + 1 }), ev({ code: 486, time: T0 + H, peer: null })];
    for (const e of old) {
      db.prepare('INSERT INTO events (call_id_hash, time, kind, code, method, peer, product, q850, findings, surface, workspace, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        e.callIdHash, e.time, e.kind, e.code, e.method, e.peer ?? '', e.product, e.q850, JSON.stringify(e.findings), e.surface, e.workspace, e.channel,
      );
      db.prepare('INSERT INTO hourly (hour, kind, code, method, peer, count) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1').run(Math.floor(e.time / H) * H, e.kind, e.code, e.method, e.peer ?? '');
    }
    db.close();
    const store = await openStore({ kind: 'sqlite', path });
    expect(await store.info()).toMatchObject({ schemaVersion: 6 });
    expect(await store.counts({ from: T0, to: T0 + 2 * H, by: ['code'] })).toEqual([{ code: 486, count: 1 }, { code: 503, count: 2 }]);
    expect(await store.recordEvents(old)).toEqual({ inserted: 0, duplicates: 3 });
    await store.close();
  });

  it('upgrades a version 2 store with roll-ups in it: the daily roll-up is their sum by UTC day, and long reads by peer give the same counts', async () => {
    const path = join(root, 'v2.db');
    const db = new Database(path);
    db.function('siptriage_call_key', { deterministic: true }, (hash: unknown) => callKey(String(hash)));
    migrateSqlite(db, path, SQLITE_MIGRATIONS.filter((m) => m.version <= 2));
    // Hours on four UTC days (T0 is a midnight), two peers, one of them the empty "no peer".
    const hours: [number, string, number][] = [[T0 - H, 'a', 2], [T0 + 3 * H, 'a', 1], [T0 + 23 * H, '', 4], [T0 + 24 * H, 'a', 5], [T0 + 47 * H, 'a', 1], [T0 + 50 * H, '', 3]];
    const put = db.prepare("INSERT INTO hourly (hour, kind, code, method, peer, count) VALUES (?, 'failure', 503, 'INVITE', ?, ?)");
    for (const [hour, peer, count] of hours) put.run(hour, peer, count);
    db.close();
    const store = await openStore({ kind: 'sqlite', path });
    expect(await store.info()).toMatchObject({ schemaVersion: 6 });
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT day, peer, count FROM daily ORDER BY day, peer').all()).toEqual([
      { day: T0 - 24 * H, peer: 'a', count: 2 },
      { day: T0, peer: '', count: 4 },
      { day: T0, peer: 'a', count: 1 },
      { day: T0 + 24 * H, peer: 'a', count: 6 },
      { day: T0 + 48 * H, peer: '', count: 3 },
    ]);
    check.close();
    // Three days and a bit, cut inside the first and the last day: whole days from `daily`, edges from `hourly`.
    expect(await store.counts({ from: T0 + 2 * H, to: T0 + 50 * H, by: ['peer'] })).toEqual([{ peer: null, count: 4 }, { peer: 'a', count: 7 }]);
    expect(await store.counts({ from: T0 - 2 * H, to: T0 + 51 * H, by: ['peer'] })).toEqual([{ peer: null, count: 7 }, { peer: 'a', count: 9 }]);
    await store.close();
  });

  it('works in memory for tests and keeps nothing after close', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    expect(await store.recordEvents([ev()])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await store.info()).toMatchObject({ schemaVersion: 6 });
    await store.close();
  });

  it('creates the directory of a new store file', async () => {
    const path = join(root, 'nested', 'deeper', 'siptriage.db');
    const store = await openStore({ kind: 'sqlite', path });
    await store.close();
    expect(new Database(path, { readonly: true }).prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 6 });
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
