import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the store lives, as DATABASE_URL says. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  /** `url` without siptriage's own `schema` parameter; tables live in `schema`. */
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };

/** With no DATABASE_URL: an SQLite file under the working directory. */
export const DEFAULT_SQLITE_PATH = join('data', 'siptriage.db');

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads DATABASE_URL: unset → ./data/siptriage.db; postgres:// or postgresql:// → PostgreSQL (an optional
 * `?schema=NAME` puts the tables in that schema, default public); sqlite:PATH, file:PATH or file:///PATH →
 * that SQLite file; :memory: → an SQLite store that lives as long as the process (tests).
 * Returns a problem sentence for anything else; it never repeats the URL (it may hold a password).
 */
export function parseDatabaseUrl(value: string | undefined): { ok: true; location: StoreLocation } | { ok: false; problem: string } {
  if (value === undefined) return { ok: true, location: { kind: 'sqlite', path: DEFAULT_SQLITE_PATH } };
  if (value === ':memory:' || value === 'sqlite::memory:') return { ok: true, location: { kind: 'sqlite', path: ':memory:' } };
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { ok: false, problem: 'not a valid postgres:// URL' };
    }
    const schema = url.searchParams.get('schema') ?? 'public';
    if (!SCHEMA_NAME.test(schema)) return { ok: false, problem: 'schema must be a plain identifier (letters, digits, _)' };
    url.searchParams.delete('schema');
    return { ok: true, location: { kind: 'postgres', url: url.toString(), schema } };
  }
  if (/^file:\/\//i.test(value)) {
    try {
      return { ok: true, location: { kind: 'sqlite', path: fileURLToPath(value) } };
    } catch {
      return { ok: false, problem: 'not a valid file:// URL' };
    }
  }
  const prefixed = /^(sqlite|file):(.+)$/i.exec(value);
  if (prefixed?.[2] !== undefined) {
    const path = prefixed[2];
    return { ok: true, location: { kind: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : join('.', path) } };
  }
  return { ok: false, problem: 'expected postgres://…, postgresql://…, sqlite:PATH, file:PATH or :memory:' };
}
