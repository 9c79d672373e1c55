import pg from 'pg';

/** TEST_DATABASE_URL, or undefined: PostgreSQL tests are then skipped, with the reason in their title. */
export const PG_URL = process.env['TEST_DATABASE_URL'] === '' ? undefined : process.env['TEST_DATABASE_URL'];
export const PG_SKIP_REASON = 'skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)';
if (PG_URL === undefined) console.warn(`PostgreSQL store tests ${PG_SKIP_REASON}`);

let n = 0;
/** A schema name no other test file or run uses. */
export function uniqueSchema(prefix: string): string {
  n += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${n}`;
}

/** Drops the schemas a run made, whatever is in them. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** One query on its own connection (for looking into the database behind a store's back). */
export async function pgQuery<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
