import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { keptCalls } from '../../src/calls/kept-calls.js';
import { callsAnswer } from '../../src/commands/calls-answer.js';
import { parseCallsCommand } from '../../src/core/query/calls-query.js';
import type { CallStore, KeptCallInput } from '../../src/ports/call-store.js';
import type { Store } from '../../src/ports/store.js';
import { KEPT_LIMITS } from '../../src/store/kept-call-row.js';
import { H, T0, type StoreEngine, type TestDatabase } from './store-contract.js';

const D = 24 * H;
const MB = 1024 * 1024;
const NO_CAP = { maxBytesPerDay: 100 * MB };

// A real SIPp busy call (test/fixtures/traces/raw, see PROVENANCE.md), cut into its messages.
const BUSY = readFileSync(join(import.meta.dirname, '../fixtures/traces/raw/02-busy-486.sip'), 'utf8');
const MESSAGES = BUSY.split(/\n(?=(?:INVITE|ACK|SIP\/2\.0) )/).map((raw, i) => ({
  time: T0 + i * 10,
  src: i % 2 === 0 ? '127.0.0.1:5202' : '127.0.0.1:5102',
  dst: i % 2 === 0 ? '127.0.0.1:5102' : '127.0.0.1:5202',
  transport: 'udp',
  raw,
}));

let serial = 0;
/** A kept call with its own Call-ID unless one is given. */
export function kept(over: Partial<KeptCallInput> = {}): KeptCallInput {
  serial += 1;
  const callId = over.callId ?? `kept-${serial}-${Math.random().toString(36).slice(2)}@uac.example.com`;
  return {
    callId,
    time: T0,
    kind: 'failure',
    code: 486,
    method: 'INVITE',
    peer: '127.0.0.1',
    findings: ['busy'],
    from: 'alice',
    to: '+15555550486',
    numbers: ['+15555550486'],
    legKeys: [callId],
    surface: 'hep',
    messages: MESSAGES,
    ...over,
  };
}

const calls = (store: Store): CallStore => {
  if (store.calls === undefined) throw new Error(`the ${store.kind} store keeps no calls`);
  return store.calls;
};

/** What every store must do with kept calls, run against SQLite always and PostgreSQL with TEST_DATABASE_URL. */
export function callStoreContract(engine: StoreEngine): void {
  describe(`Kept calls: ${engine.name}`, () => {
    const open: Store[] = [];
    async function fresh(): Promise<{ db: TestDatabase; store: CallStore }> {
      const db = await engine.fresh();
      const store = await db.open();
      open.push(store);
      return { db, store: calls(store) };
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(() => engine.cleanup());
    const window = { from: T0 - D, to: T0 + 30 * D, limit: 50 };

    it('keeps a call with its messages in order, byte for byte, and opens it by Call-ID', async () => {
      const { store } = await fresh();
      const call = kept();
      expect(await store.keepCalls([call], NO_CAP)).toEqual({ kept: 1, duplicates: 0, overCap: 0 });
      const [opened, ...more] = await store.openCalls(call.callId);
      expect(more).toEqual([]);
      expect(opened).toMatchObject({ callId: call.callId, code: 486, kind: 'failure', peer: '127.0.0.1', from: 'alice', to: '+15555550486', findings: ['busy'] });
      expect(opened?.trace).toEqual(MESSAGES);
      expect(opened?.trace.map((m) => m.raw).join('\n')).toBe(BUSY);
      expect(opened?.bytes).toBe(MESSAGES.reduce((n, m) => n + Buffer.byteLength(m.raw), 0));
      expect(await store.openCalls('no-such-call')).toEqual([]);
    });

    it('keeps a call delivered twice once', async () => {
      const { store } = await fresh();
      const call = kept();
      await store.keepCalls([call], NO_CAP);
      expect(await store.keepCalls([call, kept()], NO_CAP)).toEqual({ kept: 1, duplicates: 1, overCap: 0 });
      expect(await store.openCalls(call.callId)).toHaveLength(1);
    });

    it('finds calls by code, class, peer, number and Call-ID, newest first, within the period', async () => {
      const { store } = await fresh();
      const a = kept({ time: T0 + 1 * H, code: 486, peer: '10.0.0.1', numbers: ['+4930111'] });
      const b = kept({ time: T0 + 2 * H, code: 503, peer: '10.0.0.2', numbers: ['+4930222', '+4930111'] });
      const c = kept({ time: T0 + 3 * H, code: 404, peer: '10.0.0.1', numbers: [] });
      const old = kept({ time: T0 - 3 * D, code: 486, peer: '10.0.0.1', numbers: ['+4930111'] });
      await store.keepCalls([a, b, c, old], NO_CAP);
      const ids = async (q: object): Promise<string[]> => (await store.findCalls({ ...window, ...q })).map((r) => r.callId);
      expect(await ids({})).toEqual([c.callId, b.callId, a.callId]);
      expect(await ids({ code: 486 })).toEqual([a.callId]);
      expect(await ids({ codeClass: 4 })).toEqual([c.callId, a.callId]);
      expect(await ids({ peer: '10.0.0.1' })).toEqual([c.callId, a.callId]);
      expect(await ids({ number: '+4930111' })).toEqual([b.callId, a.callId]);
      expect(await ids({ number: '+4930111', code: 503 })).toEqual([b.callId]);
      expect(await ids({ callId: b.callId })).toEqual([b.callId]);
      expect(await ids({ from: T0 - 4 * D, number: '+4930111' })).toEqual([b.callId, a.callId, old.callId]);
      expect(await ids({ limit: 2 })).toEqual([c.callId, b.callId]);
      expect(await ids({ kind: 'answered' })).toEqual([]);
      const [row] = await store.findCalls({ ...window, callId: a.callId });
      expect(row).toMatchObject({ messages: MESSAGES.length, time: T0 + H, method: 'INVITE' });
    });

    it('pages /sip calls through a burst of calls in one millisecond by its More buttons: each call once, newest first', async () => {
      const { store } = await fresh();
      const BURST = T0 + 5_000;
      const match = { code: 486, peer: '10.9.9.9', numbers: ['+4930999'] };
      const burst = Array.from({ length: 13 }, () => kept({ ...match, time: BURST }));
      const newer = Array.from({ length: 3 }, (_, i) => kept({ ...match, time: BURST + 1 + i }));
      const older = Array.from({ length: 4 }, (_, i) => kept({ ...match, time: BURST - 1 - i * 1000 }));
      // In the same millisecond but matching none of the searches: the cursor must not let them in.
      const others = Array.from({ length: 3 }, () => kept({ code: 503, peer: '10.8.8.8', numbers: ['+4930888'], time: BURST }));
      // Kept in three batches, burst calls interleaved with the rest, so ids do not follow time.
      await store.keepCalls([...burst.slice(0, 6), ...older.slice(0, 2), others[0]!], NO_CAP);
      await store.keepCalls([...newer, ...burst.slice(6, 10), ...others.slice(1)], NO_CAP);
      await store.keepCalls([...older.slice(2), ...burst.slice(10)], NO_CAP);
      const port = keptCalls(store, 7);
      const now = T0 + H;
      const expected = [...newer.reverse(), ...burst, ...older];
      for (const search of ['486 7d', '10.9.9.9 7d', '+4930999 7d']) {
        const seen: string[] = [];
        let words: string | undefined = search;
        let pages = 0;
        while (words !== undefined) {
          const answer = await callsAnswer(port, parseCallsCommand(words), { numbers: false, addresses: false }, now);
          if (!('card' in answer)) throw new Error('a list was expected');
          const actions = answer.card.actions ?? [];
          seen.push(...actions.filter((a) => a.query.startsWith('calls open ')).map((a) => a.query.slice('calls open '.length)));
          words = actions.find((a) => a.label === 'More')?.query.replace(/^calls /, '');
          pages += 1;
          expect(pages, search).toBeLessThanOrEqual(5);
        }
        expect(new Set(seen).size, search).toBe(seen.length);
        expect(new Set(seen), search).toEqual(new Set(expected.map((c) => c.callId)));
        // Newest first, the burst in the store's own order (its ids, descending): one read of all agrees.
        const all = await store.findCalls({ from: now - 7 * D, to: now, limit: 50, code: 486 });
        expect(seen, search).toEqual(all.map((r) => r.callId));
        const times = new Map(expected.map((c) => [c.callId, c.time]));
        expect(seen.map((id) => times.get(id)), search).toEqual([...seen.map((id) => times.get(id)!)].sort((a, b) => b - a));
      }
      // A More button posted before cursors carried the row id still means what it meant: older than that time.
      const old = await callsAnswer(port, parseCallsCommand(`486 7d before ${BURST}`), { numbers: false, addresses: false }, now);
      expect('card' in old && old.card.actions?.filter((a) => a.query.startsWith('calls open ')).map((a) => a.query.slice(11))).toEqual(older.map((c) => c.callId));
    });

    it('joins the legs of a call by a shared leg key, near in time only', async () => {
      const { store } = await fresh();
      const aLeg = kept({ callId: 'a-leg@pbx', legKeys: ['a-leg@pbx'], code: 500 });
      const bLeg = kept({ callId: 'b-leg@sbc', legKeys: ['b-leg@sbc', 'a-leg@pbx'], code: 503, time: T0 + 50 });
      const later = kept({ callId: 'other@sbc', legKeys: ['other@sbc', 'a-leg@pbx'], time: T0 + 2 * D });
      await store.keepCalls([aLeg, bLeg, later, kept()], NO_CAP);
      const legs = await store.legsOf(['a-leg@pbx'], T0, H);
      expect(legs.map((l) => l.callId)).toEqual(['a-leg@pbx', 'b-leg@sbc']);
      expect(legs[1]?.trace).toHaveLength(MESSAGES.length);
      expect(legs[1]?.legKeys).toEqual(['b-leg@sbc', 'a-leg@pbx']);
      expect(await store.legsOf([], T0, H)).toEqual([]);
    });

    it('holds each day under its byte cap, refusing and counting the calls beyond it, other days untouched', async () => {
      const { store } = await fresh();
      const size = MESSAGES.reduce((n, m) => n + Buffer.byteLength(m.raw), 0);
      const cap = { maxBytesPerDay: size * 2 + 1 };
      expect(await store.keepCalls([kept(), kept(), kept()], cap)).toEqual({ kept: 2, duplicates: 0, overCap: 1 });
      expect(await store.keepCalls([kept({ time: T0 + 10 })], cap)).toEqual({ kept: 0, duplicates: 0, overCap: 1 });
      expect(await store.keepCalls([kept({ time: T0 + D })], cap)).toEqual({ kept: 1, duplicates: 0, overCap: 0 });
      expect(await store.keptBytes(T0 + 5 * H)).toBe(size * 2);
      expect(await store.keptBytes(T0 + D)).toBe(size);
      expect(await store.findCalls(window)).toHaveLength(3);
    });

    it('prunes whole days before the cut, messages and index with them', async () => {
      const { store } = await fresh();
      const day1 = kept({ time: T0 + H });
      const day2 = kept({ time: T0 + D + H });
      const day3 = kept({ time: T0 + 2 * D + H });
      await store.keepCalls([day1, day2, day3], NO_CAP);
      // A cut inside day 2 keeps all of day 2: whole days go.
      expect(await store.pruneCalls(T0 + D + 12 * H)).toBe(1);
      expect(await store.openCalls(day1.callId)).toEqual([]);
      expect(await store.findCalls({ ...window, number: '+15555550486' })).toHaveLength(2);
      expect(await store.keptBytes(T0)).toBe(0);
      expect(await store.pruneCalls(T0 + D + 12 * H)).toBe(0);
      // Days pruned can be written again (a late capture), and are kept.
      expect((await store.keepCalls([kept({ time: T0 + 5 })], NO_CAP)).kept).toBe(1);
    });

    it('bounds hostile input and refuses what it cannot keep, keeping the rest of the batch', async () => {
      const { store } = await fresh();
      const huge = 'x'.repeat(100_000);
      const long = kept({ callId: `${huge}@evil`, peer: huge, from: huge, findings: Array.from({ length: 500 }, (_, i) => `f${i}`), numbers: Array.from({ length: 100 }, (_, i) => `+49${i}000`), messages: [{ ...MESSAGES[0]!, raw: huge, src: huge }] });
      const bad = [kept({ time: Number.NaN }), kept({ code: 9999 }), kept({ messages: [] }), kept({ callId: '' })];
      expect(await store.keepCalls([...bad, long, kept()], NO_CAP)).toEqual({ kept: 2, duplicates: 0, overCap: 4 });
      const [row] = await store.findCalls({ ...window, code: 486, limit: 1, peer: huge.slice(0, KEPT_LIMITS.peer) });
      expect(row?.callId).toHaveLength(KEPT_LIMITS.callId);
      expect(row?.from).toHaveLength(KEPT_LIMITS.user);
      expect(row?.findings).toHaveLength(KEPT_LIMITS.findings);
      const [opened] = await store.openCalls(row?.callId ?? '');
      expect(opened?.trace[0]?.raw).toHaveLength(KEPT_LIMITS.messageBytes);
      expect(opened?.trace[0]?.src).toHaveLength(KEPT_LIMITS.address);
    });

    it('keeps what it acknowledged across a reopen', async () => {
      const { db, store } = await fresh();
      const call = kept();
      await store.keepCalls([call], NO_CAP);
      const again = await db.open();
      open.push(again);
      expect((await calls(again).openCalls(call.callId))[0]?.trace).toEqual(MESSAGES);
    });
  });
}
