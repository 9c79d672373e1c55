import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/ports/store.js';
import { dropSchemas, PG_SKIP_REASON, PG_URL, uniqueSchema } from '../store/pg-test-db.js';

export { PG_SKIP_REASON, PG_URL };

/** Real stores for the digest tests: an SQLite file in a temp folder, or a fresh schema in TEST_DATABASE_URL. */
export interface TestStores {
  readonly engine: 'sqlite' | 'postgres';
  /** Another connection to the same database (a second replica). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}


export function sqliteStores(): TestStores {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-digest-'));
  const opened: Store[] = [];
  const path = join(dir, 'store.db');
  return {
    engine: 'sqlite',
    path,
    async open() {
      const s = await openStore({ kind: 'sqlite', path });
      opened.push(s);
      return s;
    },
    async cleanup() {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  } as TestStores & { path: string };
}

/** A schema of its own per call, so parallel test files and runs never meet. */
export function postgresStores(url: string): TestStores {
  const schema = uniqueSchema('digest');
  const opened: Store[] = [];
  return {
    engine: 'postgres',
    schema,
    async open() {
      const s = await openStore({ kind: 'postgres', url, schema });
      opened.push(s);
      return s;
    },
    async cleanup() {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      await dropSchemas(url, [schema]);
    },
  } as TestStores & { schema: string };
}
