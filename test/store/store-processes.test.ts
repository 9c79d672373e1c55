import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { StoreLocation } from '../../src/store/store-location.js';
import { dropSchemas, PG_SKIP_REASON, PG_URL, uniqueSchema } from './pg-test-db.js';

const CHILD = join(import.meta.dirname, 'store-child.ts');
const BATCH = 200;
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23);
const dir = mkdtempSync(join(tmpdir(), 'siptriage-processes-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (PG_URL !== undefined) await dropSchemas(PG_URL, schemas);
});

function child(args: string[]): { proc: ChildProcess; lines: string[]; next(match: (line: string) => boolean): Promise<void>; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: () => void }[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) if (w.match(line)) w.resolve();
    else waiters.push(w);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    lines,
    next: (match) => (lines.some(match) ? Promise.resolve() : new Promise((resolve) => waiters.push({ match, resolve }))),
    exited,
  };
}

const locations: [string, () => StoreLocation][] = [['SQLite', () => ({ kind: 'sqlite', path: join(dir, `${Math.random().toString(36).slice(2)}.db`) })]];
if (PG_URL !== undefined) {
  const url = PG_URL;
  locations.push(['PostgreSQL', () => {
    const schema = uniqueSchema('proc');
    schemas.push(schema);
    return { kind: 'postgres', url, schema };
  }]);
} else {
  // Outside CI a developer without PostgreSQL skips these, with the reason in the title; in CI (.ci/run sets
  // TEST_DATABASE_URL) a missing database is a failure, never a silent skip.
  describe('processes against PostgreSQL', () => {
    it.skipIf(!process.env.CI)(`needs a database: ${PG_SKIP_REASON}`, () => {
      expect(PG_URL, 'CI runs the PostgreSQL tests: set TEST_DATABASE_URL').toBeDefined();
    });
  });
}

describe.each(locations)('%s across processes', { timeout: 120_000 }, (_name, location) => {
  it('keeps every acknowledged event when the writer is SIGKILLed mid-stream, and never half a batch', async () => {
    const where = location();
    // Migrated before the writer starts, so the kill lands among writes, not in start-up.
    await (await openStore(where)).close();
    const writer = child(['write', JSON.stringify(where)]);
    await writer.next((l) => l === 'ack 40');
    writer.proc.kill('SIGKILL');
    expect(await writer.exited).toBe(null);
    const acked = writer.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
    expect(acked.length).toBeGreaterThanOrEqual(41);

    const store = await openStore(where);
    try {
      const perHour = new Map((await store.counts({ from: T0, to: T0 + 100_000 * H, by: ['hour'] })).map((r) => [(r.hour! - T0) / H, r.count]));
      for (const n of acked) expect(perHour.get(n), `batch ${n}`).toBe(BATCH);
      // Whatever was in flight is all there or not there at all.
      for (const [n, count] of perHour) if (!acked.includes(n)) expect(count, `unacknowledged batch ${n}`).toBe(BATCH);
      // The store takes writes again after the crash.
      expect((await store.recordEvents([])).inserted).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('gives each digest to exactly one of four processes racing for it', async () => {
    const where = location();
    await (await openStore(where)).close();
    const periods = 400;
    const racers = Array.from({ length: 4 }, () => child(['claim', JSON.stringify(where), String(periods)]));
    await Promise.all(racers.map((r) => r.next((l) => l === 'ready')));
    for (const r of racers) r.proc.stdin!.end('go\n');
    expect(await Promise.all(racers.map((r) => r.exited))).toEqual([0, 0, 0, 0]);
    const won = racers.flatMap((r) => r.lines.filter((l) => l.startsWith('won ')).map((l) => Number(l.slice(4))));
    expect(won.sort((a, b) => a - b)).toEqual(Array.from({ length: periods }, (_, p) => p));
  });
});
