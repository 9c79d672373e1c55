import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { dropSchemas, PG_SKIP_REASON, PG_URL, pgQuery, uniqueSchema } from './pg-test-db.js';
import pg from 'pg';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrations.js';
import { ev, H, storeContract, T0, type StoreEngine } from './store-contract.js';
import { probeStoreContract } from './probe-store-contract.js';
import { qualityContract } from './quality-contract.js';
import { callStoreContract, kept } from './call-store-contract.js';
import { keptCallSql } from '../../src/store/kept-call-query.js';
import { crossesAnalyzeStep, partitionName } from '../../src/store/postgres/postgres-call-store.js';

const schemas: string[] = [];

if (PG_URL === undefined) {
  // Outside CI a developer without PostgreSQL skips these, with the reason in the title; in CI (.ci/run sets
  // TEST_DATABASE_URL) a missing database is a failure, never a silent skip.
  describe('Store contract: PostgreSQL', () => {
    it.skipIf(!process.env.CI)(`needs a database: ${PG_SKIP_REASON}`, () => {
      expect(PG_URL, 'CI runs the PostgreSQL tests: set TEST_DATABASE_URL').toBeDefined();
    });
  });
} else {
  const url = PG_URL;
  const postgres: StoreEngine = {
    name: 'PostgreSQL (a fresh schema per test, dropped after the run)',
    // 7: the Call-ID index gained time; 8: the list indexes end with id (SQLite's end with the rowid already).
    schemaVersion: 8,
    async fresh() {
      const schema = uniqueSchema('st');
      schemas.push(schema);
      return {
        open: () => openStore({ kind: 'postgres', url, schema }),
        async writeSchemaVersion(version) {
          await pgQuery(url, `INSERT INTO "${schema}".schema_version (version, name, created_at) VALUES ($1, $2, $3)`, [version, 'from the future', Date.now()]);
        },
        async storedEvent(hash) {
          const rows = await pgQuery<{ peer: string; product: string | null; findings: string; method: string }>(
            url,
            `SELECT peer, product, findings, method FROM "${schema}".events WHERE call_id_hash = $1`,
            [hash],
          );
          return rows[0];
        },
      };
    },
    cleanup: () => dropSchemas(url, schemas.splice(0)),
  };
  storeContract(postgres);
  callStoreContract(postgres);
  probeStoreContract(postgres);
  qualityContract(postgres);
  afterAll(() => dropSchemas(url, schemas.splice(0)));

  describe('the PostgreSQL store itself', () => {
    it('keeps its tables in the schema it is given, leaving public alone', async () => {
      const schema = uniqueSchema('own');
      schemas.push(schema);
      const store = await openStore({ kind: 'postgres', url, schema });
      await store.close();
      const tables = await pgQuery<{ table_name: string }>(url, 'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      expect(tables.map((t) => t.table_name)).toEqual(['channel_settings', 'daily', 'digest_claims', 'events', 'hourly', 'hourly_codes', 'kept_calls', 'kept_days', 'kept_keys', 'kept_messages', 'probe_results', 'probe_slots', 'probe_state', 'probe_watches', 'queries', 'schema_version']);
    });

    it('keeps calls in daily partitions and prunes by dropping whole partitions', async () => {
      const schema = uniqueSchema('parts');
      schemas.push(schema);
      const store = await openStore({ kind: 'postgres', url, schema });
      const D = 24 * H;
      await store.calls?.keepCalls([kept({ time: T0 + H }), kept({ time: T0 + D + H }), kept({ time: T0 + D + 2 * H })], { maxBytesPerDay: 1e9 });
      const partitions = async (): Promise<string[]> =>
        (
          await pgQuery<{ name: string }>(
            url,
            `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
            [schema],
          )
        ).map((r) => r.name);
      const day = T0 / D;
      expect(await partitions()).toEqual([`kept_calls_d${day}`, `kept_calls_d${day + 1}`, `kept_keys_d${day}`, `kept_keys_d${day + 1}`, `kept_messages_d${day}`, `kept_messages_d${day + 1}`]);
      const rows = await pgQuery<{ n: string }>(url, `SELECT COUNT(*) AS n FROM "${schema}".kept_messages_d${day + 1}`);
      expect(Number(rows[0]?.n)).toBeGreaterThan(0);
      expect(await store.calls?.pruneCalls(T0 + D)).toBe(1);
      expect(await partitions()).toEqual([`kept_calls_d${day + 1}`, `kept_keys_d${day + 1}`, `kept_messages_d${day + 1}`]);
      await store.close();
    });

    it('upgrades a version 1 store with data in it: old calls stay deduplicated, code counts come from the new roll-up', async () => {
      const schema = uniqueSchema('v1');
      schemas.push(schema);
      const pool = new pg.Pool({ connectionString: url });
      const client = await pool.connect();
      await migratePostgres(client, schema, 'test', POSTGRES_MIGRATIONS.filter((m) => m.version === 1));
      const old = [ev({ code: 503, time: T0 }), ev({ code: 503, time: T0 + 1, callIdHash: 'not hex: an old hostile hash' }), ev({ code: 486, time: T0 + H, peer: null })];
      for (const e of old) {
        await client.query(
          `INSERT INTO "${schema}".events (call_id_hash, time, kind, code, method, peer, product, q850, findings, surface, workspace, channel) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [e.callIdHash, e.time, e.kind, e.code, e.method, e.peer ?? '', e.product, e.q850, JSON.stringify(e.findings), e.surface, e.workspace, e.channel],
        );
        await client.query(
          `INSERT INTO "${schema}".hourly (hour, kind, code, method, peer, count) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (hour, kind, code, method, peer) DO UPDATE SET count = hourly.count + 1`,
          [Math.floor(e.time / H) * H, e.kind, e.code, e.method, e.peer ?? ''],
        );
      }
      client.release();
      await pool.end();
      const store = await openStore({ kind: 'postgres', url, schema });
      expect(await store.info()).toMatchObject({ schemaVersion: 8 });
      expect(await store.counts({ from: T0, to: T0 + 2 * H, by: ['code'] })).toEqual([{ code: 486, count: 1 }, { code: 503, count: 2 }]);
      // The keys SQL computed for the old rows are the ones the code computes: the same calls are duplicates.
      expect(await store.recordEvents(old)).toEqual({ inserted: 0, duplicates: 3 });
      await store.close();
    });

    it('upgrades a version 2 store with roll-ups in it: the daily roll-up is their sum by UTC day, and long reads by peer give the same counts', async () => {
      const schema = uniqueSchema('v2');
      schemas.push(schema);
      const pool = new pg.Pool({ connectionString: url });
      const client = await pool.connect();
      await migratePostgres(client, schema, 'test', POSTGRES_MIGRATIONS.filter((m) => m.version <= 2));
      // Hours on four UTC days (T0 is a midnight), two peers, one of them the empty "no peer".
      const hours: [number, string, number][] = [[T0 - H, 'a', 2], [T0 + 3 * H, 'a', 1], [T0 + 23 * H, '', 4], [T0 + 24 * H, 'a', 5], [T0 + 47 * H, 'a', 1], [T0 + 50 * H, '', 3]];
      for (const [hour, peer, count] of hours) {
        await client.query(`INSERT INTO "${schema}".hourly (hour, kind, code, method, peer, count) VALUES ($1, 'failure', 503, 'INVITE', $2, $3)`, [hour, peer, count]);
      }
      client.release();
      await pool.end();
      const store = await openStore({ kind: 'postgres', url, schema });
      expect(await store.info()).toMatchObject({ schemaVersion: 8 });
      const daily = await pgQuery<{ day: string; peer: string; count: string }>(url, `SELECT day, peer, count FROM "${schema}".daily ORDER BY day, peer`);
      expect(daily.map((r) => ({ day: Number(r.day), peer: r.peer, count: Number(r.count) }))).toEqual([
        { day: T0 - 24 * H, peer: 'a', count: 2 },
        { day: T0, peer: '', count: 4 },
        { day: T0, peer: 'a', count: 1 },
        { day: T0 + 24 * H, peer: 'a', count: 6 },
        { day: T0 + 48 * H, peer: '', count: 3 },
      ]);
      // Three days and a bit, cut inside the first and the last day: whole days from `daily`, edges from `hourly`.
      expect(await store.counts({ from: T0 + 2 * H, to: T0 + 50 * H, by: ['peer'] })).toEqual([{ peer: null, count: 4 }, { peer: 'a', count: 7 }]);
      expect(await store.counts({ from: T0 - 2 * H, to: T0 + 51 * H, by: ['peer'] })).toEqual([{ peer: null, count: 7 }, { peer: 'a', count: 9 }]);
      await store.close();
    });

    it('upgrades a version 6 store with kept calls: every day partition gets the (Call-ID, time) index and list indexes ending with id, and a Call-ID search over 24 h reads it before any statistics exist', async () => {
      const schema = uniqueSchema('v6');
      schemas.push(schema);
      const pool = new pg.Pool({ connectionString: url });
      const client = await pool.connect();
      await migratePostgres(client, schema, 'test', POSTGRES_MIGRATIONS.filter((m) => m.version <= 6));
      client.release();
      await pool.end();
      // 3,000 calls over two UTC days, kept by version 6 code paths (the table layout is the same).
      const old = await openStore({ kind: 'postgres', url, schema });
      const many = Array.from({ length: 3000 }, (_, i) => kept({ callId: `upgrade-${i}@uac.example.com`, time: T0 - 12 * H + i * 28_000 }));
      for (let i = 0; i < many.length; i += 500) await old.calls?.keepCalls(many.slice(i, i + 500), { maxBytesPerDay: 2 ** 40 });
      await old.close();
      const store = await openStore({ kind: 'postgres', url, schema });
      expect(await store.info()).toMatchObject({ schemaVersion: 8 });
      const indexes = await pgQuery<{ tablename: string; indexdef: string }>(url, `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename LIKE 'kept_calls%' AND indexdef LIKE '%(call_id%'`, [schema]);
      const parts = await pgQuery<{ name: string }>(url, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = $1 AND p.relname = 'kept_calls'`, [schema]);
      expect(parts.length).toBeGreaterThanOrEqual(2);
      for (const { name } of [...parts, { name: 'kept_calls' }]) {
        const defs = indexes.filter((x) => x.tablename === name).map((x) => x.indexdef.replace(/^.*USING btree /, ''));
        expect(defs, name).toContain('(call_id, "time")');
        expect(defs, name).not.toContain('(call_id)');
      }
      // Version 8: every list index ends with the row id, the order a More cursor continues.
      const listIndexes = await pgQuery<{ tablename: string; indexdef: string }>(url, `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = $1 AND (tablename LIKE 'kept_calls%' OR tablename LIKE 'kept_keys%')`, [schema]);
      for (const { name } of [...parts, { name: 'kept_calls' }]) {
        const defs = listIndexes.filter((x) => x.tablename === name).map((x) => x.indexdef.replace(/^.*USING btree /, ''));
        expect(defs, name).toEqual(expect.arrayContaining(['(code, "time", id)', '(peer, "time", id)', '("time", id)']));
        expect(defs, name).not.toEqual(expect.arrayContaining(['(peer, "time")']));
      }
      for (const name of ['kept_keys', ...parts.map((x) => x.name.replace('kept_calls', 'kept_keys'))]) {
        const defs = listIndexes.filter((x) => x.tablename === name).map((x) => x.indexdef.replace(/^.*USING btree /, ''));
        expect(defs, name).toContain('(key, "time", call)');
      }
      // The plan the search takes: one range of the (call_id, time) index per partition, never the time index.
      const q = keptCallSql({ calls: `"${schema}".kept_calls`, keys: `"${schema}".kept_keys`, partitioned: true }, { from: T0 - 12 * H, to: T0 + 12 * H, limit: 20, callId: 'upgrade-1500@uac.example.com' }, (n) => `$${n}`);
      const plan = (await pgQuery<{ 'QUERY PLAN': string }>(url, `EXPLAIN ${q.sql}`, q.params)).map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/kept_calls_d\d+_call_id_time_idx/);
      expect(plan).not.toMatch(/kept_calls_d\d+_time_idx/);
      expect(await store.calls?.findCalls({ from: T0 - 12 * H, to: T0 + 12 * H, limit: 20, callId: 'upgrade-1500@uac.example.com' })).toHaveLength(1);
      await store.close();
    });

    it('analyses a day of kept calls as it grows past 1,000 calls (and each ×4), whether or not autovacuum runs', async () => {
      expect([[0, 999], [999, 1000], [1000, 3999], [3999, 4001], [4001, 16_000], [0, 20_000]].map(([a, b]) => crossesAnalyzeStep(a ?? 0, b ?? 0))).toEqual([false, true, false, true, true, true]);
      const schema = uniqueSchema('analyze');
      schemas.push(schema);
      const store = await openStore({ kind: 'postgres', url, schema });
      const analysed = async (): Promise<string[]> =>
        (await pgQuery<{ relname: string }>(url, `SELECT relname FROM pg_stat_user_tables WHERE schemaname = $1 AND last_analyze IS NOT NULL ORDER BY relname`, [schema])).map((r) => r.relname);
      const day = (n: number) => Array.from({ length: n }, (_, i) => kept({ callId: `analyse-${n}-${i}@uac.example.com`, time: T0 + 3 * H + i }));
      await store.calls?.keepCalls(day(999), { maxBytesPerDay: 2 ** 40 });
      expect(await analysed()).toEqual([]);
      await store.calls?.keepCalls(day(2), { maxBytesPerDay: 2 ** 40 });
      const deadline = Date.now() + 15_000;
      while ((await analysed()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await analysed()).toEqual([partitionName('kept_calls', T0), partitionName('kept_keys', T0)]);
      await store.close();
    });

    it('migrates once when several replicas start at the same moment', async () => {
      const schema = uniqueSchema('race');
      schemas.push(schema);
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ kind: 'postgres', url, schema })));
      const versions = await pgQuery<{ version: number }>(url, `SELECT version FROM "${schema}".schema_version ORDER BY version`);
      expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }, { version: 7 }, { version: 8 }]);
      await Promise.all(stores.map((s) => s.close()));
    });

    it('fails to open with one line naming host, port and database, and never the password', async () => {
      const err = await openStore({ kind: 'postgres', url: 'postgres://bot:hunter2-pw@127.0.0.1:1/siptriage', schema: 'public' }).then(
        () => undefined,
        (e: unknown) => e as Error & { code: string },
      );
      expect(err?.code).toBe('STORE_UNAVAILABLE');
      expect(err?.message).toMatch(/^cannot open the PostgreSQL store at 127\.0\.0\.1:1\/siptriage \(schema public\): .*ECONNREFUSED/);
      expect(err?.message).not.toContain('hunter2');
      expect(err?.message).not.toContain('\n');
    });
  });
}
