import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionRows, type ActionRow } from '../../../src/adapters/discord/action-rows.js';
import { HeldQueries } from '../../../src/adapters/discord/held-queries.js';
import { shareRow } from '../../../src/adapters/discord/sip-command.js';
import type { Card } from '../../../src/core/card/card.js';

const card = (queries: readonly string[]): Card => ({
  kind: 'notice',
  title: 'Kept calls',
  summary: '',
  tone: 'neutral',
  fields: [],
  sections: [],
  links: [],
  actions: queries.map((query, i) => ({ label: `Open ${i + 1}`, query })),
});
const ids = (rows: readonly ActionRow[]): string[] => rows.flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));

// Call-IDs as SBCs write them: word characters, dots, dashes and an @host, up to the 255 a kept call holds.
const callId = fc.stringMatching(/^[A-Za-z0-9.\-_~]{1,200}@[a-z0-9.-]{1,54}$/);
const query = fc.oneof(
  callId.map((id) => `calls open ${id}`),
  fc.tuple(callId, fc.integer({ min: 1, max: 2 ** 52 }), fc.bigInt({ min: 1n, max: 2n ** 63n - 1n })).map(([id, ms, row]) => `calls call-id ${id} 7d before ${ms}.${row}`),
  fc.constantFrom('503', 'stats 7d', 'calls 5xx 1h'),
);

describe('Discord: buttons whose query is longer than a custom id', () => {
  it('keep every custom id within 100 characters, and each click asks exactly its button\'s query', () => {
    fc.assert(
      fc.property(fc.uniqueArray(query, { minLength: 1, maxLength: 8 }), fc.constantFrom(...[...Array(6).keys()]), (queries, room) => {
        const held = new HeldQueries();
        const rows = actionRows([card(queries)], held, room);
        const share = shareRow(held, queries[0]!);
        for (const id of [...ids(rows), ...ids(share === undefined ? [] : [share])]) expect(id.length).toBeLessThanOrEqual(100);
        const asked = ids(rows).map((id) => held.queryOf('query', id));
        // Nothing dropped that the rows had room for, nothing cut: each button asks one of the queries, in order.
        expect(asked).toEqual(queries.slice(0, asked.length));
        expect(asked.length).toBe(Math.min(queries.length, room * 5));
        expect(share === undefined ? undefined : held.queryOf('share', ids([share])[0]!)).toBe(queries[0]);
      }),
    );
  });

  it('carries a query that fits as itself (buttons already posted keep working), and a longer one as a random token', () => {
    const held = new HeldQueries();
    expect(held.customId('query', 'calls open a1f3c9e27b5d4e80@192.0.2.10')).toBe('sip-query:calls open a1f3c9e27b5d4e80@192.0.2.10');
    expect(held.queryOf('query', 'sip-query:503')).toBe('503');
    const long = `calls open ${'9'.repeat(120)}@sbc1.contoso-telecom.example.com`;
    const a = held.customId('query', long) ?? '';
    const b = held.customId('query', long) ?? '';
    expect(a).toMatch(/^sip-query~[A-Za-z0-9_-]{12}$/);
    expect(b).not.toBe(a);
    expect([held.queryOf('query', a), held.queryOf('query', b)]).toEqual([long, long]);
    // A Share token does not open as a query button, nor the other way round.
    expect(held.queryOf('share', a)).toBeUndefined();
  });

  it('forgets a query once its day is up, and past its bound, oldest first', () => {
    let now = 0;
    const held = new HeldQueries({ ttlMs: 60_000, maxItems: 2, now: () => now });
    const long = (n: number) => `calls open ${String(n).repeat(100)}`;
    const first = held.customId('query', long(1)) ?? '';
    now = 59_999;
    expect(held.queryOf('query', first)).toBe(long(1));
    now = 60_000;
    expect(held.queryOf('query', first)).toBeUndefined();
    const ids3 = [2, 3, 4].map((n) => held.customId('query', long(n)) ?? '');
    expect(ids3.map((id) => held.queryOf('query', id))).toEqual([undefined, long(3), long(4)]);
    expect(held.size).toBe(2);
  });
});
