// Seeded, realistic-looking call events for benches (and the digest bench): mostly INVITE failures spread
// over a window, a long tail of peers, some answered and cancelled calls, a few REGISTER failures.
import Database from 'better-sqlite3';
import pg from 'pg';
import { hashCallId, type CallEventKind } from '../src/core/triage/call-events.js';
import { codeRollups, dailyRollups, hourOf, type RollupRow } from '../src/store/event-row.js';
import type { Store, StoredEvent } from '../src/ports/store.js';
import type { StoreLocation } from '../src/store/store-location.js';

const H = 3_600_000;
const FAILURES = [503, 503, 503, 486, 486, 408, 404, 480, 488, 500, 403, 484, 502, 603];

export interface SeedOptions {
  /** Events are spread evenly over [from, from + days). */
  readonly from: number;
  readonly days: number;
  /** Different seeds give different data; the same seed the same. */
  readonly seed?: number;
  readonly peers?: number;
  /** Real Call-ID hashes (default); roll-up seeding skips them, it never looks at them. */
  readonly hashes?: boolean;
}

/** A deterministic pseudo-random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` events, the i-th of them from `start` on, each with its own Call-ID hash. */
export function* seedEvents(count: number, o: SeedOptions, start = 0): Generator<StoredEvent> {
  const next = random((o.seed ?? 1) * 7919 + start);
  const span = o.days * 24 * H;
  const peers = o.peers ?? 200;
  for (let i = start; i < start + count; i++) {
    const r = next();
    const kind: CallEventKind = r < 0.55 ? 'answered' : r < 0.62 ? 'cancelled' : 'failure';
    const code = kind === 'answered' ? 200 : kind === 'cancelled' ? 487 : (FAILURES[Math.floor(next() * FAILURES.length)] ?? 503);
    // A few peers carry most of the traffic, as in real networks.
    const peer = `peer-${Math.floor(peers * next() ** 3)}.example.net`;
    yield {
      time: o.from + Math.floor(next() * span),
      kind,
      code,
      method: kind === 'failure' && next() < 0.1 ? 'REGISTER' : 'INVITE',
      peer,
      product: 'Kamailio (5.7.4 (x86_64/linux))',
      q850: code === 503 ? 41 : code === 486 ? 17 : null,
      findings: kind === 'failure' ? ['upstream-unavailable'] : [],
      // Real hashes: the unique index is written at random places, as it is in use.
      callIdHash: o.hashes === false ? '' : hashCallId(`seed-${o.seed ?? 1}-${i}`),
      surface: 'hep',
      workspace: null,
      channel: null,
    };
  }
}

/** Records `count` seeded events through the store, in batches, as live ingest would. */
export async function recordSeeded(store: Store, count: number, o: SeedOptions, batch = 1000): Promise<void> {
  for (let start = 0; start < count; start += batch) await store.recordEvents([...seedEvents(Math.min(batch, count - start), o, start)]);
}

/**
 * The roll-ups (hourly, hourly without peer, daily) `count` seeded events would produce, written straight into the roll-up tables of a
 * migrated store: counts() reads only roll-ups, so this builds what a store holding that many events answers
 * from, without spending minutes and gigabytes writing the events themselves. The events table stays empty.
 */
export async function seedRollups(location: StoreLocation, count: number, o: SeedOptions): Promise<{ rows: number }> {
  const sums = new Map<string, RollupRow>();
  for (const e of seedEvents(count, { ...o, hashes: false })) {
    const hour = hourOf(e.time);
    const key = `${hour}|${e.kind}|${e.code}|${e.method}|${e.peer}`;
    const s = sums.get(key);
    if (s === undefined) sums.set(key, { hour, kind: e.kind, code: e.code, method: e.method, peer: e.peer ?? '', count: 1 });
    else sums.set(key, { ...s, count: s.count + 1 });
  }
  const rows = [...sums.values()];
  const codes = codeRollups(rows);
  const days = dailyRollups(rows);
  if (location.kind === 'sqlite') {
    const db = new Database(location.path);
    const put = db.prepare('INSERT INTO hourly (hour, kind, code, method, peer, count) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count');
    const putCode = db.prepare('INSERT INTO hourly_codes (hour, kind, code, method, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count');
    const putDay = db.prepare('INSERT INTO daily (day, kind, code, method, peer, count) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count');
    db.transaction(() => {
      for (const r of rows) put.run(r.hour, r.kind, r.code, r.method, r.peer, r.count);
      for (const r of codes) putCode.run(r.hour, r.kind, r.code, r.method, r.count);
      for (const r of days) putDay.run(r.day, r.kind, r.code, r.method, r.peer, r.count);
    })();
    db.close();
  } else {
    const client = new pg.Client({ connectionString: location.url });
    await client.connect();
    try {
      for (let i = 0; i < rows.length; i += 50_000) {
        const part = rows.slice(i, i + 50_000);
        await client.query(
          `INSERT INTO "${location.schema}".hourly (hour, kind, code, method, peer, count)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[])
           ON CONFLICT (hour, kind, code, method, peer) DO UPDATE SET count = hourly.count + excluded.count`,
          [part.map((r) => r.hour), part.map((r) => r.kind), part.map((r) => r.code), part.map((r) => r.method), part.map((r) => r.peer), part.map((r) => r.count)],
        );
      }
      await client.query(
        `INSERT INTO "${location.schema}".hourly_codes (hour, kind, code, method, count)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::bigint[])
         ON CONFLICT (hour, kind, code, method) DO UPDATE SET count = hourly_codes.count + excluded.count`,
        [codes.map((r) => r.hour), codes.map((r) => r.kind), codes.map((r) => r.code), codes.map((r) => r.method), codes.map((r) => r.count)],
      );
      for (let i = 0; i < days.length; i += 50_000) {
        const part = days.slice(i, i + 50_000);
        await client.query(
          `INSERT INTO "${location.schema}".daily (day, kind, code, method, peer, count)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[])
           ON CONFLICT (day, kind, code, method, peer) DO UPDATE SET count = daily.count + excluded.count`,
          [part.map((r) => r.day), part.map((r) => r.kind), part.map((r) => r.code), part.map((r) => r.method), part.map((r) => r.peer), part.map((r) => r.count)],
        );
      }
      await client.query(`ANALYZE "${location.schema}".hourly`);
      await client.query(`ANALYZE "${location.schema}".hourly_codes`);
      await client.query(`ANALYZE "${location.schema}".daily`);
    } finally {
      await client.end();
    }
  }
  return { rows: rows.length + codes.length + days.length };
}
