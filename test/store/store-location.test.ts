import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/store-location.js';

describe('DATABASE_URL', () => {
  it('means ./data/siptriage.db when unset', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ ok: true, location: { kind: 'sqlite', path: join('data', 'siptriage.db') } });
  });

  it('names an SQLite file as sqlite:PATH, file:PATH or file:///PATH, or memory', () => {
    expect(parseDatabaseUrl('sqlite:./var/x.db')).toEqual({ ok: true, location: { kind: 'sqlite', path: join('var', 'x.db') } });
    expect(parseDatabaseUrl('file:/srv/x.db')).toEqual({ ok: true, location: { kind: 'sqlite', path: '/srv/x.db' } });
    expect(parseDatabaseUrl('file:///srv/my%20x.db')).toEqual({ ok: true, location: { kind: 'sqlite', path: '/srv/my x.db' } });
    expect(parseDatabaseUrl(':memory:')).toEqual({ ok: true, location: { kind: 'sqlite', path: ':memory:' } });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ ok: true, location: { kind: 'sqlite', path: ':memory:' } });
  });

  it('names PostgreSQL with either scheme, the schema taken out of the URL the driver sees', () => {
    expect(parseDatabaseUrl('postgresql://postgres@127.0.0.1:5432/test')).toEqual({ ok: true, location: { kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:5432/test', schema: 'public' } });
    expect(parseDatabaseUrl('postgres://u:p@h/db?schema=run_42')).toEqual({ ok: true, location: { kind: 'postgres', url: 'postgres://u:p@h/db', schema: 'run_42' } });
  });

  it('refuses other schemes and schema names that are not plain identifiers', () => {
    expect(parseDatabaseUrl('mysql://x@y/z')).toMatchObject({ ok: false });
    expect(parseDatabaseUrl('./data/x.db')).toMatchObject({ ok: false });
    expect(parseDatabaseUrl('postgres://h/db?schema=public"; drop table x;--')).toEqual({ ok: false, problem: 'schema must be a plain identifier (letters, digits, _)' });
  });
});
