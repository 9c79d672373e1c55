import type Database from 'better-sqlite3';
import type { CallStore, KeepLimits, KeepResult, KeptCall, KeptCallQuery, KeptCallSummary, KeptMessage } from '../../ports/call-store.js';
import type { KeptCallInput } from '../../ports/call-store.js';
import { dayOf } from '../event-row.js';
import { keptCallSql } from '../kept-call-query.js';
import { KEPT_COLUMNS, keptCallRow, summaryOf, type KeptCallRecord, type KeptCallRow } from '../kept-call-row.js';

type Run = <T>(what: string, work: () => T) => T;

/**
 * Kept calls in the SQLite file, beside the events (same connection, same WAL and full syncs: a batch kept is
 * on disk when keepCalls settles). One batch is one IMMEDIATE transaction; the day's byte total is read and
 * raised inside it, so the cap holds across processes writing the same file.
 */
export class SqliteCallStore implements CallStore {
  readonly #db: Database.Database;
  readonly #run: Run;
  readonly #keep: Database.Transaction<(rows: readonly KeptCallRow[], cap: number) => KeepResult>;
  readonly #s: ReturnType<typeof statements>;

  constructor(db: Database.Database, run: Run) {
    this.#db = db;
    this.#run = run;
    const s = (this.#s = statements(db));
    this.#keep = db.transaction((rows: readonly KeptCallRow[], cap: number): KeepResult => {
      let kept = 0;
      let duplicates = 0;
      let overCap = 0;
      const days = new Map<number, number>();
      for (const r of rows) {
        const used = days.get(r.day) ?? ((s.dayBytes.get(r.day) as { bytes: number } | undefined)?.bytes ?? 0);
        if (used + r.bytes > cap) {
          overCap++;
          days.set(r.day, used);
          continue;
        }
        const info = s.insertCall.run(r.day, r.time, r.callId, r.kind, r.code, r.method, r.peer, r.from, r.to, r.findings, r.legKeys, r.surface, r.messages.length, r.bytes);
        if (info.changes === 0) {
          duplicates++;
          days.set(r.day, used);
          continue;
        }
        const id = info.lastInsertRowid;
        r.messages.forEach((m, i) => s.insertMessage.run(id, i, m.time, m.src, m.dst, m.transport, m.raw));
        for (const k of r.keys) s.insertKey.run(k, r.time, id);
        s.addDay.run(r.day, r.bytes);
        days.set(r.day, used + r.bytes);
        kept++;
      }
      return { kept, duplicates, overCap };
    });
  }

  async keepCalls(calls: readonly KeptCallInput[], limits: KeepLimits): Promise<KeepResult> {
    const rows = calls.flatMap((c) => keptCallRow(c) ?? []);
    const invalid = calls.length - rows.length;
    if (rows.length === 0) return { kept: 0, duplicates: 0, overCap: invalid };
    const r = this.#run('keep calls', () => this.#keep.immediate(rows, limits.maxBytesPerDay));
    // A call that cannot be kept at all is refused like one over the cap: not stored, counted.
    return { ...r, overCap: r.overCap + invalid };
  }

  async findCalls(query: KeptCallQuery): Promise<KeptCallSummary[]> {
    const { sql, params } = keptCallSql({ calls: 'kept_calls', keys: 'kept_keys', partitioned: false }, query, () => '?');
    const rows = this.#run('find kept calls', () => this.#db.prepare(sql).all(...params)) as KeptCallRecord[];
    return rows.map((r) => {
      const { legKeys: _legs, ...summary } = summaryOf(r);
      return summary;
    });
  }

  async openCalls(callId: string): Promise<KeptCall[]> {
    return this.#run('open kept calls', () => (this.#s.byCallId.all(callId) as KeptCallRecord[]).map((r) => this.#withTrace(r)));
  }

  async legsOf(keys: readonly string[], around: number, windowMs: number): Promise<KeptCall[]> {
    return this.#run('find legs', () => {
      const seen = new Map<string, KeptCall>();
      for (const key of keys.slice(0, 16)) {
        for (const r of this.#s.byKey.all(`l:${key}`, around - windowMs, around + windowMs) as KeptCallRecord[]) {
          if (!seen.has(String(r.id))) seen.set(String(r.id), this.#withTrace(r));
          if (seen.size >= 16) break;
        }
      }
      return [...seen.values()].sort((a, b) => a.time - b.time);
    });
  }

  async pruneCalls(before: number): Promise<number> {
    const cut = dayOf(before);
    return this.#run('prune kept calls', () =>
      this.#db.transaction(() => {
        this.#s.pruneMessages.run(cut);
        this.#s.pruneKeys.run(cut);
        const { changes } = this.#s.pruneCalls.run(cut);
        this.#s.pruneDays.run(cut);
        return changes;
      }).immediate(),
    );
  }

  async keptBytes(time: number): Promise<number> {
    const row = this.#run('read kept bytes', () => this.#s.dayBytes.get(dayOf(time))) as { bytes: number } | undefined;
    return row?.bytes ?? 0;
  }

  #withTrace(r: KeptCallRecord): KeptCall {
    const trace = this.#s.messages.all(r.id) as KeptMessage[];
    return { ...summaryOf(r), trace };
  }
}

function statements(db: Database.Database) {
  return {
    insertCall: db.prepare(
      `INSERT OR IGNORE INTO kept_calls (day, time, call_id, kind, code, method, peer, from_user, to_user, findings, leg_keys, surface, messages, bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertMessage: db.prepare('INSERT INTO kept_messages (call, seq, time, src, dst, transport, raw) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertKey: db.prepare('INSERT OR IGNORE INTO kept_keys (key, time, call) VALUES (?, ?, ?)'),
    addDay: db.prepare('INSERT INTO kept_days (day, calls, bytes) VALUES (?, 1, ?) ON CONFLICT (day) DO UPDATE SET calls = calls + 1, bytes = bytes + excluded.bytes'),
    dayBytes: db.prepare('SELECT bytes FROM kept_days WHERE day = ?'),
    byCallId: db.prepare(`SELECT ${KEPT_COLUMNS} FROM kept_calls WHERE call_id = ? ORDER BY time LIMIT 16`),
    byKey: db.prepare(`SELECT ${KEPT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')} FROM kept_keys k JOIN kept_calls c ON c.id = k.call WHERE k.key = ? AND k.time >= ? AND k.time <= ? ORDER BY k.time LIMIT 16`),
    messages: db.prepare('SELECT time, src, dst, transport, raw FROM kept_messages WHERE call = ? ORDER BY seq'),
    pruneMessages: db.prepare('DELETE FROM kept_messages WHERE call IN (SELECT id FROM kept_calls WHERE time < ?)'),
    pruneKeys: db.prepare('DELETE FROM kept_keys WHERE call IN (SELECT id FROM kept_calls WHERE time < ?)'),
    pruneCalls: db.prepare('DELETE FROM kept_calls WHERE time < ?'),
    pruneDays: db.prepare('DELETE FROM kept_days WHERE day < ?'),
  };
}
