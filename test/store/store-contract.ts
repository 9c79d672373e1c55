import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors/errors.js';
import { createEngine } from '../../src/core/engine.js';
import { callEvents, hashCallId, type CallEventKind } from '../../src/core/triage/call-events.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { LIMITS } from '../../src/store/event-row.js';
import { DEFAULT_CHANNEL_SETTINGS, type CountDimension, type CountQuery, type CountRow, type Store, type StoredEvent } from '../../src/ports/store.js';

/** One database of an engine under test: it can be connected to (again), and looked into directly. */
export interface TestDatabase {
  /** Opens the store on this database, migrating it as start-up does. */
  open(): Promise<Store>;
  /** Records a schema version as a newer siptriage would have. */
  writeSchemaVersion(version: number): Promise<void>;
  /** The stored columns of one event, read directly (the Store interface has no read of single events). */
  storedEvent(callIdHash: string): Promise<{ peer: string; product: string | null; findings: string; method: string } | undefined>;
}

export interface StoreEngine {
  readonly name: string;
  /** The newest schema version the engine's migrations know. */
  readonly schemaVersion: number;
  /** A new, empty database. */
  fresh(): Promise<TestDatabase>;
  /** Drops everything the run made. */
  cleanup(): Promise<void>;
}

export const H = 3_600_000;
// 2026-11-23 00:00 UTC: a Monday.
export const T0 = Date.UTC(2026, 10, 23);

let serial = 0;
/** An event with its own Call-ID unless one is given. */
export function ev(over: Partial<StoredEvent> = {}): StoredEvent {
  serial += 1;
  return {
    time: T0,
    kind: 'failure',
    code: 503,
    method: 'INVITE',
    peer: 'sbc1.example.net',
    product: 'Kamailio 5.7',
    q850: 41,
    findings: ['upstream-unavailable'],
    callIdHash: hashCallId(`call-${serial}-${Math.random()}`),
    surface: 'slack',
    workspace: 'T1',
    channel: 'C1',
    ...over,
  };
}

/**
 * The behaviour every Store must have, defined once and run against each engine (SQLite always,
 * PostgreSQL when TEST_DATABASE_URL is set).
 */
export function storeContract(engine: StoreEngine): void {
  describe(`Store contract: ${engine.name}`, () => {
    const open: Store[] = [];
    async function fresh(): Promise<{ db: TestDatabase; store: Store }> {
      const db = await engine.fresh();
      const store = await db.open();
      open.push(store);
      return { db, store };
    }
    async function connect(db: TestDatabase): Promise<Store> {
      const store = await db.open();
      open.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(() => engine.cleanup());

    const total = async (store: Store, q: Partial<CountQuery> = {}): Promise<number> =>
      (await store.counts({ from: 0, to: 8.64e15, by: [], ...q }))[0]?.count ?? -1;

    describe('recording events', () => {
      it('counts the same call once, whether pasted again later or twice in one batch', async () => {
        const { store } = await fresh();
        const call = ev();
        expect(await store.recordEvents([call])).toEqual({ inserted: 1, duplicates: 0 });
        expect(await store.recordEvents([{ ...call, time: call.time + 60_000, channel: 'C2' }])).toEqual({ inserted: 0, duplicates: 1 });
        const other = ev();
        expect(await store.recordEvents([other, other, call])).toEqual({ inserted: 1, duplicates: 2 });
        expect(await total(store)).toBe(2);
      });

      it('stores the kinds the core counts by: a failure, an answered challenge, a CANCEL, a timeout, from real traces', async () => {
        const { store } = await fresh();
        const engineCore = createEngine(loadKnowledge());
        const trace = (f: string): string => readFileSync(join(import.meta.dirname, '../fixtures/traces/raw', f), 'utf8');
        const files = ['02-busy-486.sip', '05-proxy-auth-407.sip', '08-cancel-487.sip', '09-timeout-no-answer.sip', '06-register-401-rejected.sip'];
        for (const f of files) {
          const events = callEvents(engineCore.triage(trace(f)).report, T0).map((e) => ({ ...e, surface: 'cli' as const, workspace: null, channel: null }));
          await store.recordEvents(events);
          // The same paste again changes nothing.
          expect((await store.recordEvents(events)).inserted).toBe(0);
        }
        const byKind = await store.counts({ from: T0, to: T0 + H, by: ['kind', 'code', 'method'] });
        expect(byKind).toEqual([
          { kind: 'answered', code: 200, method: 'INVITE', count: 1 },
          { kind: 'cancelled', code: 487, method: 'INVITE', count: 1 },
          { kind: 'failure', code: 401, method: 'REGISTER', count: 1 },
          { kind: 'failure', code: 408, method: 'INVITE', count: 1 },
          { kind: 'failure', code: 486, method: 'INVITE', count: 1 },
        ]);
        // The answered 407 challenge is no failure; the CANCEL's 487 is not among the failures either.
        expect((await store.counts({ from: T0, to: T0 + H, by: ['code'], kinds: ['failure'] })).map((r) => r.code)).toEqual([401, 408, 486]);
      });

      it('skips events it cannot count (time not a number, unknown kind, code out of range) and keeps the rest of the batch', async () => {
        const { store } = await fresh();
        const bad = [
          ev({ time: Number.NaN }),
          ev({ time: Number.POSITIVE_INFINITY }),
          ev({ time: -5 }),
          ev({ kind: 'bogus' as CallEventKind }),
          ev({ code: 9999 }),
          ev({ code: Number.NaN }),
          ev({ callIdHash: '' }),
          ev({ callIdHash: null as unknown as string }),
          ev({ surface: 'telnet' as StoredEvent['surface'] }),
        ];
        const good = ev({ time: T0 + 1 });
        expect(await store.recordEvents([...bad, good])).toEqual({ inserted: 1, duplicates: 0 });
        expect(await store.counts({ from: 0, to: 8.64e15, by: ['hour', 'code'] })).toEqual([{ hour: T0, code: 503, count: 1 }]);
        // The store still takes ordinary writes afterwards.
        expect((await store.recordEvents([ev()])).inserted).toBe(1);
      });

      it('bounds what hostile input can put in a row: peer, product, method, findings', async () => {
        const { db, store } = await fresh();
        const huge = 'x'.repeat(1_000_000);
        const e = ev({ peer: `${huge}`, product: `\u0000${huge}`, method: huge, findings: Array.from({ length: 10_000 }, (_, i) => `finding-${i}-${huge.slice(0, 500)}`) });
        expect((await store.recordEvents([e])).inserted).toBe(1);
        const row = await db.storedEvent(e.callIdHash);
        expect(row?.peer).toHaveLength(LIMITS.peer);
        expect(row?.product).toHaveLength(LIMITS.product);
        expect(row?.method).toHaveLength(LIMITS.method);
        const findings = JSON.parse(row?.findings ?? '[]') as string[];
        expect(findings).toHaveLength(LIMITS.findings);
        expect(findings.every((f) => f.length <= LIMITS.finding)).toBe(true);
        expect((await store.counts({ from: 0, to: 8.64e15, by: ['peer'] }))[0]?.peer).toBe('x'.repeat(LIMITS.peer));
      });

      it('never splits a character when it cuts a string', async () => {
        const { db, store } = await fresh();
        const e = ev({ peer: `${'a'.repeat(LIMITS.peer - 1)}😀tail` });
        await store.recordEvents([e]);
        expect((await db.storedEvent(e.callIdHash))?.peer).toBe('a'.repeat(LIMITS.peer - 1));
      });

      it('reads a missing peer back as null', async () => {
        const { store } = await fresh();
        await store.recordEvents([ev({ peer: null }), ev({ peer: '' }), ev({ peer: 'a.example' })]);
        expect(await store.counts({ from: 0, to: 8.64e15, by: ['peer'] })).toEqual([
          { peer: null, count: 2 },
          { peer: 'a.example', count: 1 },
        ]);
      });
    });

    describe('counting from the hourly roll-ups', () => {
      it('buckets events by the hour they happened in, and a query takes hours from the one `from` is in up to `to`', async () => {
        const { store } = await fresh();
        await store.recordEvents([ev({ time: T0 }), ev({ time: T0 + H - 1 }), ev({ time: T0 + H }), ev({ time: T0 + 5 * H + 1234 })]);
        expect(await store.counts({ from: T0, to: T0 + 6 * H, by: ['hour'] })).toEqual([
          { hour: T0, count: 2 },
          { hour: T0 + H, count: 1 },
          { hour: T0 + 5 * H, count: 1 },
        ]);
        expect(await total(store, { from: T0 + 30 * 60_000, to: T0 + H })).toBe(2);
        expect(await total(store, { from: T0 + H, to: T0 + 5 * H })).toBe(1);
        expect(await total(store, { from: T0 + H, to: T0 + 5 * H + 1 })).toBe(2);
        expect(await store.counts({ from: T0 + 7 * H, to: T0 + 9 * H, by: [] })).toEqual([{ count: 0 }]);
        expect(await store.counts({ from: T0 + 7 * H, to: T0 + 9 * H, by: ['code'] })).toEqual([]);
      });

      it('answers every combination of dimensions and filters as a count over the events would', async () => {
        const { store } = await fresh();
        const seed: StoredEvent[] = [];
        const kinds: CallEventKind[] = ['failure', 'failure', 'cancelled', 'answered'];
        const codes = [503, 486, 408, 404];
        const peers = ['a.example', 'b.example', null];
        for (let i = 0; i < 240; i++) {
          const kind = kinds[i % 4] as CallEventKind;
          const code = kind === 'answered' ? 200 : kind === 'cancelled' ? 487 : (codes[(i * 7) % 4] as number);
          seed.push(ev({ time: T0 + (i % 7) * H + (i % 13) * 60_000, kind, code, method: i % 5 === 0 ? 'REGISTER' : 'INVITE', peer: peers[i % 3] ?? null }));
        }
        await store.recordEvents(seed.slice(0, 100));
        await store.recordEvents(seed.slice(100));
        const dims: CountDimension[] = ['hour', 'code', 'peer', 'kind', 'method'];
        const filters: Pick<CountQuery, 'kinds' | 'methods'>[] = [{}, { kinds: ['failure'] }, { methods: ['INVITE'] }, { kinds: ['failure', 'cancelled'], methods: ['REGISTER'] }, { kinds: [] }];
        const windows = [
          { from: T0, to: T0 + 7 * H },
          { from: T0 + 2 * H, to: T0 + 4 * H },
        ];
        for (let mask = 0; mask < 32; mask++) {
          const by = dims.filter((_, i) => mask & (1 << i));
          for (const f of filters) {
            for (const w of windows) {
              const q: CountQuery = { ...w, by, ...f };
              expect(sortRows(await store.counts(q)), JSON.stringify(q)).toEqual(sortRows(countByHand(seed, q)));
            }
          }
        }
      });

      it('counts ranges across several UTC days, with events at the edges of each day, as a count over the events would', async () => {
        const { store } = await fresh();
        const D = 24 * H;
        const seed: StoredEvent[] = [];
        // Events on the last and first millisecond of days, and on either side of the hours a range is cut at.
        const times = [T0 - 1, T0, T0 + H - 1, T0 + H, T0 + D - H - 1, T0 + D - 1, T0 + D, T0 + 2 * D - 1, T0 + 2 * D, T0 + 2 * D + 30 * 60_000, T0 + 3 * D - 1, T0 + 3 * D, T0 + 4 * D - H, T0 + 4 * D + 5];
        const peers = ['a.example', 'b.example', null];
        times.forEach((time, i) => {
          for (let j = 0; j <= i % 3; j++) {
            const kind: CallEventKind = j === 2 ? 'answered' : 'failure';
            seed.push(ev({ time, kind, code: kind === 'answered' ? 200 : i % 2 === 0 ? 503 : 486, method: (i + j) % 4 === 0 ? 'REGISTER' : 'INVITE', peer: peers[(i + j) % 3] ?? null }));
          }
        });
        await store.recordEvents(seed);
        const edges = [T0 - H, T0 - 1, T0, T0 + 1, T0 + H - 1, T0 + D - 1, T0 + D, T0 + D + H, T0 + 2 * D + 1];
        const ends = [T0 + 2 * D, T0 + 2 * D + 1, T0 + 3 * D - 1, T0 + 3 * D, T0 + 3 * D + H + 7, T0 + 4 * D, T0 + 4 * D + 6, T0 + 5 * D];
        const bys: CountDimension[][] = [['peer'], ['peer', 'code'], ['kind', 'peer'], ['code', 'peer', 'kind', 'method'], ['code'], []];
        const filters: Pick<CountQuery, 'kinds' | 'methods'>[] = [{}, { kinds: ['failure'] }, { methods: ['INVITE'], kinds: ['failure', 'answered'] }, { kinds: [] }];
        for (const from of edges) {
          for (const to of ends) {
            if (to <= from) continue;
            for (const by of bys) {
              for (const f of filters) {
                const q: CountQuery = { from, to, by, ...f };
                expect(sortRows(await store.counts(q)), JSON.stringify(q)).toEqual(sortRows(countByHand(seed, q)));
              }
            }
          }
        }
        // Rows come sorted by the dimensions asked for, as from the hourly roll-up.
        expect(await store.counts({ from: T0 + 1, to: T0 + 3 * D + 1, by: ['peer'], kinds: ['failure'] })).toEqual(
          sortedByPeer(countByHand(seed, { from: T0 + 1, to: T0 + 3 * D + 1, by: ['peer'], kinds: ['failure'] })),
        );
      });

      it('answers long reads by peer from whole days exactly as it does from the hours, on random data', async () => {
        const { store } = await fresh();
        const D = 24 * H;
        let state = 20261125;
        const random = (): number => {
          state = (state * 1103515245 + 12345) % 2147483648;
          return state / 2147483648;
        };
        const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
        const kinds: CallEventKind[] = ['failure', 'failure', 'answered', 'cancelled'];
        const seed: StoredEvent[] = [];
        for (let i = 0; i < 600; i++) {
          const kind = pick(kinds);
          seed.push(ev({ time: T0 - D + Math.floor(random() * 10 * D), kind, code: kind === 'answered' ? 200 : kind === 'cancelled' ? 487 : pick([503, 486, 408, 404, 480]), method: pick(['INVITE', 'INVITE', 'REGISTER']), peer: pick(['p1', 'p2', 'p3', 'p4', null]) }));
        }
        for (let i = 0; i < seed.length; i += 97) await store.recordEvents(seed.slice(i, i + 97));
        const bys: CountDimension[][] = [['peer'], ['peer', 'code'], ['kind', 'peer'], ['peer', 'method', 'kind'], ['code', 'peer', 'kind', 'method']];
        const filters: Pick<CountQuery, 'kinds' | 'methods'>[] = [{}, { kinds: ['failure'] }, { methods: ['INVITE'] }, { kinds: ['answered', 'failure'], methods: ['INVITE'] }];
        for (let i = 0; i < 60; i++) {
          const from = T0 - D + Math.floor(random() * 4 * D);
          const to = from + 2 * D + Math.floor(random() * 7 * D);
          const q: CountQuery = { from, to, by: pick(bys), ...pick(filters) };
          // The hourly path: the same query by hour too (never read from days), its hours summed away.
          const byHour = await store.counts({ ...q, by: ['hour', ...q.by] });
          const fromHours = hoursSummedAway(byHour);
          const fromDays = await store.counts(q);
          expect(sortRows(fromDays), JSON.stringify(q)).toEqual(sortRows(fromHours));
          expect(sortRows(fromDays), JSON.stringify(q)).toEqual(sortRows(countByHand(seed, q)));
        }
      });

      it('gives known answers for a digest-like day', async () => {
        const { store } = await fresh();
        await store.recordEvents([
          ...Array.from({ length: 5 }, () => ev({ code: 503, peer: 'sbc1' })),
          ...Array.from({ length: 3 }, () => ev({ code: 486, peer: 'pbx2', time: T0 + 3 * H })),
          ...Array.from({ length: 7 }, () => ev({ kind: 'answered', code: 200, peer: 'sbc1', time: T0 + 3 * H })),
          ev({ kind: 'cancelled', code: 487, peer: 'pbx2' }),
        ]);
        expect(await store.counts({ from: T0, to: T0 + 24 * H, by: ['code'], kinds: ['failure'] })).toEqual([
          { code: 486, count: 3 },
          { code: 503, count: 5 },
        ]);
        expect(await store.counts({ from: T0, to: T0 + 24 * H, by: ['peer', 'kind'] })).toEqual([
          { peer: 'pbx2', kind: 'cancelled', count: 1 },
          { peer: 'pbx2', kind: 'failure', count: 3 },
          { peer: 'sbc1', kind: 'answered', count: 7 },
          { peer: 'sbc1', kind: 'failure', count: 5 },
        ]);
        expect(await store.counts({ from: T0, to: T0 + 24 * H, by: ['kind'], methods: ['INVITE'], kinds: ['answered', 'failure'] })).toEqual([
          { kind: 'answered', count: 7 },
          { kind: 'failure', count: 8 },
        ]);
      });
    });

    describe('channel settings', () => {
      const ref = { platform: 'slack' as const, workspace: 'T1', channel: 'C9' };

      it('gives the defaults for a channel never configured', async () => {
        const { store } = await fresh();
        expect(await store.channelSettings(ref)).toEqual(DEFAULT_CHANNEL_SETTINGS);
        expect(await store.subscribers('digest')).toEqual([]);
      });

      it('keeps each field of a patch, alert thresholds and quiet hours included, and nulls as "use the default"', async () => {
        const { db, store } = await fresh();
        expect(await store.updateChannelSettings(ref, { digest: true })).toEqual({ ...DEFAULT_CHANNEL_SETTINGS, digest: true, alertMinCount: null, alertRatio: null, alertQuietHours: null });
        await store.updateChannelSettings(ref, { alertMinCount: 25, alertRatio: 2.5, alertQuietHours: '22-07' });
        const again = await connect(db);
        expect(await again.channelSettings(ref)).toEqual({ autoTriage: true, digest: true, alerts: false, alertMinCount: 25, alertRatio: 2.5, alertQuietHours: '22-07' });
        await store.updateChannelSettings(ref, { autoTriage: false, alertMinCount: null, alertRatio: null, alertQuietHours: 'off' });
        expect(await again.channelSettings(ref)).toEqual({ autoTriage: false, digest: true, alerts: false, alertMinCount: null, alertRatio: null, alertQuietHours: 'off' });
        // Another channel of the same workspace is untouched.
        expect(await store.channelSettings({ ...ref, channel: 'C10' })).toEqual(DEFAULT_CHANNEL_SETTINGS);
      });

      it('ignores values of the wrong type or out of range rather than storing them', async () => {
        const { store } = await fresh();
        await store.updateChannelSettings(ref, { alertMinCount: 10, alertRatio: 3 });
        const next = await store.updateChannelSettings(ref, { alertMinCount: Number.NaN, alertRatio: -1, digest: 'yes' as unknown as boolean, alertQuietHours: '9'.repeat(5000) });
        expect(next).toMatchObject({ alertMinCount: 10, alertRatio: 3, digest: false });
        expect(next.alertQuietHours).toHaveLength(16);
      });

      it('lists the channels subscribed to digests and to alerts', async () => {
        const { store } = await fresh();
        const a = { platform: 'slack' as const, workspace: 'T1', channel: 'CA' };
        const b = { platform: 'discord' as const, workspace: 'G1', channel: '123' };
        const c = { platform: 'discord' as const, workspace: '', channel: '456' };
        await store.updateChannelSettings(a, { digest: true });
        await store.updateChannelSettings(b, { digest: true, alerts: true });
        await store.updateChannelSettings(c, { alerts: true });
        expect(await store.subscribers('digest')).toEqual([b, a]);
        expect(await store.subscribers('alerts')).toEqual([c, b]);
        await store.updateChannelSettings(b, { digest: false });
        expect(await store.subscribers('digest')).toEqual([a]);
      });
    });

    describe('digest claims', () => {
      const key = { destination: 'slack:T1:C9', period: '2026-11-25' };
      const LEASE = 60_000;

      it('lets the first claimer post; a second one skips until the claim is released', async () => {
        const { store } = await fresh();
        expect(await store.claimDigest(key, 'a', T0, LEASE)).toBe(true);
        expect(await store.claimDigest(key, 'b', T0 + 1, LEASE)).toBe(false);
        expect(await store.claimDigest({ ...key, period: '2026-11-26' }, 'b', T0 + 1, LEASE)).toBe(true);
        await store.releaseDigest(key, 'b'); // not b's: nothing happens
        expect(await store.claimDigest(key, 'b', T0 + 2, LEASE)).toBe(false);
        await store.releaseDigest(key, 'a');
        expect(await store.claimDigest(key, 'b', T0 + 3, LEASE)).toBe(true);
        expect(await store.claimDigest(key, 'a', T0 + 4, LEASE)).toBe(false);
      });

      it('keeps a posted digest posted for good, lease or no lease', async () => {
        const { store } = await fresh();
        expect(await store.claimDigest(key, 'a', T0, LEASE)).toBe(true);
        await store.completeDigest(key, 'a', '1795603000.000100');
        expect(await store.claimDigest(key, 'b', T0 + 10 * LEASE, LEASE)).toBe(false);
        expect(await store.claimDigest(key, 'a', T0 + 10 * LEASE, LEASE)).toBe(false);
        await store.releaseDigest(key, 'a');
        expect(await store.claimDigest(key, 'b', T0 + 11 * LEASE, LEASE)).toBe(false);
      });

      it('hands an expired claim (its owner died mid-post) to the next claimer, and the old owner can no longer complete it', async () => {
        const { store } = await fresh();
        expect(await store.claimDigest(key, 'a', T0, LEASE)).toBe(true);
        expect(await store.claimDigest(key, 'b', T0 + LEASE - 1, LEASE)).toBe(false);
        expect(await store.claimDigest(key, 'b', T0 + LEASE, LEASE)).toBe(true);
        const lost = await store.completeDigest(key, 'a', 'late').then(() => undefined, (err: unknown) => err);
        expect(lost).toBeInstanceOf(StoreError);
        expect(lost).toMatchObject({ code: 'STORE_CLAIM_LOST' });
        await store.completeDigest(key, 'b', 'msg-b');
        expect(await store.claimDigest(key, 'a', T0 + 5 * LEASE, LEASE)).toBe(false);
      });

      it('lets the owner of a live claim claim it again (renewing its lease)', async () => {
        const { store } = await fresh();
        expect(await store.claimDigest(key, 'a', T0, LEASE)).toBe(true);
        expect(await store.claimDigest(key, 'a', T0 + LEASE / 2, LEASE)).toBe(true);
        expect(await store.claimDigest(key, 'b', T0 + LEASE, LEASE)).toBe(false);
        expect(await store.claimDigest(key, 'b', T0 + LEASE + LEASE / 2, LEASE)).toBe(true);
      });

      it('gives a claim to exactly one of several connections racing for it', async () => {
        const { db } = await fresh();
        const stores = await Promise.all([connect(db), connect(db), connect(db), connect(db)]);
        for (let round = 0; round < 10; round++) {
          const k = { destination: 'discord:G1:42', period: `2026-11-${10 + round}` };
          const won = await Promise.all(stores.flatMap((s, i) => [s.claimDigest(k, `owner-${i}`, T0, LEASE), s.claimDigest(k, `owner-${i}-b`, T0, LEASE)]));
          expect(won.filter(Boolean)).toHaveLength(1);
        }
      });
    });

    describe('retention, info and lifecycle', () => {
      it('prunes events and whole roll-up hours older than the cut, and queries and finished claims with them', async () => {
        const { store } = await fresh();
        const old = [ev({ time: T0 }), ev({ time: T0 + H - 1 }), ev({ time: T0 + H + 10 })];
        const kept = ev({ time: T0 + 2 * H });
        await store.recordEvents([...old, kept]);
        expect(await store.prune(T0 + H + 11)).toBe(3);
        // The hour the cut falls in keeps its roll-up; earlier hours are gone.
        expect(await store.counts({ from: 0, to: 8.64e15, by: ['hour'] })).toEqual([
          { hour: T0 + H, count: 1 },
          { hour: T0 + 2 * H, count: 1 },
        ]);
        expect(await store.prune(T0 + 3 * H)).toBe(1);
        expect(await total(store)).toBe(0);
        // A pruned call seen again is counted again: it is new as far as the kept history goes.
        expect((await store.recordEvents([kept])).inserted).toBe(1);
      });

      it('prunes the daily roll-up with the hours: a long read by peer after a cut inside a day still equals its hours', async () => {
        const { store } = await fresh();
        const D = 24 * H;
        const seed = [T0 + 2 * H, T0 + D + H, T0 + D + 5 * H, T0 + D + 9 * H, T0 + 2 * D + 3, T0 + 3 * D + 7 * H].map((time, i) => ev({ time, peer: i % 2 === 0 ? 'a' : 'b' }));
        await store.recordEvents(seed);
        expect(await store.prune(T0 + D + 6 * H + 1)).toBe(3);
        const q: CountQuery = { from: T0, to: T0 + 4 * D, by: ['peer'] };
        const byHour = await store.counts({ ...q, by: ['hour', 'peer'] });
        expect(await store.counts(q)).toEqual([{ peer: 'a', count: 1 }, { peer: 'b', count: 2 }]);
        expect(sortRows(await store.counts(q))).toEqual(sortRows(hoursSummedAway(byHour)));
      });

      it('says when the database was created and at which schema version', async () => {
        const before = Date.now();
        const { db, store } = await fresh();
        const info = await store.info();
        expect(info.schemaVersion).toBe(engine.schemaVersion);
        expect(info.createdAt).toBeGreaterThanOrEqual(before);
        expect(info.createdAt).toBeLessThanOrEqual(Date.now());
        await store.close();
        expect(await (await connect(db)).info()).toEqual(info);
      });

      it('opens an up-to-date database again without migrating it twice, data intact', async () => {
        const { db, store } = await fresh();
        await store.recordEvents([ev()]);
        await store.updateChannelSettings({ platform: 'slack', workspace: 'T', channel: 'C' }, { digest: true });
        const second = await connect(db);
        const third = await connect(db);
        expect(await third.info()).toEqual(await store.info());
        expect(await total(second)).toBe(1);
        expect(await third.subscribers('digest')).toHaveLength(1);
      });

      it('refuses a database whose schema is newer than this code, with one clear line', async () => {
        const { db, store } = await fresh();
        await store.close();
        await db.writeSchemaVersion(99);
        const err = await db.open().then(
          (s) => (open.push(s), undefined),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreError);
        expect(err).toMatchObject({ code: 'STORE_SCHEMA_NEWER' });
        expect((err as Error).message).toMatch(new RegExp(`has schema version 99, newer than this siptriage knows \\(${engine.schemaVersion}\\): upgrade siptriage`));
        expect((err as Error).message).not.toContain('\n');
      });

      it('rejects use after close with a StoreError', async () => {
        const { store } = await fresh();
        await store.close();
        await expect(store.recordEvents([ev()])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
        await expect(store.counts({ from: 0, to: 1, by: [] })).rejects.toBeInstanceOf(StoreError);
        await store.close();
      });

      it('records queries', async () => {
        const { store } = await fresh();
        await store.recordQuery({ time: T0, surface: 'discord', kind: 'code' });
        await store.recordQuery({ time: Number.NaN, surface: 'discord', kind: 'x'.repeat(10_000) });
        expect(await store.prune(T0 + 1)).toBe(0);
      });
    });
  });
}

/** The count a query should give, computed from the events themselves. */
export function countByHand(events: readonly StoredEvent[], q: CountQuery): CountRow[] {
  const groups = new Map<string, { -readonly [K in keyof CountRow]: CountRow[K] }>();
  const fromHour = Math.floor(q.from / H) * H;
  for (const e of events) {
    const hour = Math.floor(e.time / H) * H;
    if (hour < fromHour || hour >= q.to) continue;
    if (q.kinds !== undefined && !q.kinds.includes(e.kind)) continue;
    if (q.methods !== undefined && !q.methods.includes(e.method)) continue;
    const row: { -readonly [K in keyof CountRow]: CountRow[K] } = { count: 0 };
    if (q.by.includes('hour')) row.hour = hour;
    if (q.by.includes('code')) row.code = e.code;
    if (q.by.includes('peer')) row.peer = e.peer === '' ? null : e.peer;
    if (q.by.includes('kind')) row.kind = e.kind;
    if (q.by.includes('method')) row.method = e.method;
    const k = JSON.stringify(row);
    const g = groups.get(k) ?? row;
    g.count += 1;
    groups.set(k, g);
  }
  if (q.by.length === 0) return [{ count: groups.values().next().value?.count ?? 0 }];
  return [...groups.values()];
}

/** Rows grouped by hour and more, summed over the hours: the same groups without the hour. */
function hoursSummedAway(rows: readonly CountRow[]): CountRow[] {
  const groups = new Map<string, { -readonly [K in keyof CountRow]: CountRow[K] }>();
  for (const { hour: _hour, count, ...key } of rows) {
    const k = JSON.stringify(key);
    const g = groups.get(k) ?? { ...key, count: 0 };
    g.count += count;
    groups.set(k, g);
  }
  return [...groups.values()];
}

/** Rows grouped by peer alone, in the order SQL sorts them: the NULL (no peer) first, then by name. */
function sortedByPeer(rows: readonly CountRow[]): CountRow[] {
  return [...rows].sort((a, b) => (a.peer === b.peer ? 0 : a.peer == null ? -1 : b.peer == null ? 1 : a.peer < b.peer ? -1 : 1));
}

function sortRows(rows: readonly CountRow[]): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))).sort();
}
