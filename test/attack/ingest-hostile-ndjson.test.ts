import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { startServed, type ServedProcess } from './served-process.js';

// Issue 13 item 7: /ingest stored times of 1970 and the year 275760, code 200 as a failure, NUL and bidi
// characters in peers, and answered {"recorded":1} to time 1e300 while dropping it. Every hostile value is
// now refused by line with a reason, or stored exactly as reported (checked in the store afterwards).
const TOKEN = 'attack-ingest-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'siptriage-hostile-'));
const db = join(dir, 'hostile.db');
let served: ServedProcess;

beforeAll(async () => {
  served = await startServed({ DATABASE_URL: `sqlite:${db}`, INGEST_TOKEN: TOKEN });
}, 60_000);
afterAll(async () => {
  await served?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(lines: readonly string[]): Promise<{ status: number; body: { recorded: number; rejected: number; errors: { line: number; error: string }[] } }> {
  const res = await fetch(`${served.base}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body: lines.join('\n') });
  return { status: res.status, body: (await res.json()) as never };
}

describe('hostile NDJSON values on /ingest (served process, SQLite)', () => {
  const now = Date.now();
  const hostile: [string, Record<string, unknown>, RegExp][] = [
    ['a time in 1970', { time: 1000, code: 503 }, /^time: outside/],
    ['the year 275760', { time: '+275760-09-13T00:00:00.000Z', code: 503 }, /^time/],
    ['time 1e300', { time: 1e300, code: 503 }, /^time: outside/],
    ['a day ahead', { time: now + 86_400_000, code: 503 }, /^time: outside/],
    ['code 200 as a failure', { time: now, code: 200, kind: 'failure' }, /^kind: "failure" does not go with code 200/],
    ['code 503 as answered', { time: now, code: 503, kind: 'answered' }, /^kind/],
    ['a NUL in the peer', { time: now, code: 503, peer: 'sbc\u0000.example' }, /^peer: control, bidi/],
    ['a bidi override in the peer', { time: now, code: 503, peer: 'sbc\u202Eelpmaxe' }, /^peer: control, bidi/],
    ['a zero-width space in the product', { time: now, code: 503, product: 'Asterisk\u200B 20' }, /^product: control, bidi/],
    ['a peer of 10,000 characters', { time: now, code: 503, peer: 'a'.repeat(10_000) }, /^peer/],
    ['a code of 1000', { time: now, code: 1000 }, /^code/],
    ['a negative q850', { time: now, code: 503, q850: -1 }, /^q850/],
  ];

  it('refuses each hostile line by number with a reason, and records none of them', async () => {
    const r = await post([...hostile.map(([, e]) => JSON.stringify(e)), 'null', '[1,2]', '\u0000\u0001binary', '{"time":']);
    expect(r.status).toBe(400);
    expect(r.body.recorded).toBe(0);
    expect(r.body.rejected).toBe(hostile.length + 4);
    hostile.forEach(([name, , reason], i) => {
      const e = r.body.errors.find((x) => x.line === i + 1);
      expect(e?.error, name).toMatch(reason);
    });
  });

  it('stores printable values exactly as reported, and counts what it stored', async () => {
    const good = [
      { time: now - 60_000, code: 503, peer: 'sbc-東京.example.jp', product: 'Kamailio (5.8.2)', callId: 'hostile-good-1' },
      { time: Math.floor(now / 1000), code: 486, peer: 'b'.repeat(255), callId: 'hostile-good-2' },
      { time: new Date(now).toISOString(), code: 487, kind: 'cancelled', peer: '[2001:db8::7]:5061', callId: 'hostile-good-3' },
    ];
    const r = await post([...good.map((e) => JSON.stringify(e)), JSON.stringify({ time: 1000, code: 503 })]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ recorded: 3, rejected: 1 });
    await served.stop();
    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      const rows = await store.counts({ from: now - 86_400_000, to: now + 86_400_000, by: ['peer', 'code', 'kind'] });
      expect(rows.map((x) => [x.peer, x.code, x.kind, x.count]).sort()).toEqual(
        [
          ['sbc-東京.example.jp', 503, 'failure', 1],
          ['b'.repeat(255), 486, 'failure', 1],
          ['[2001:db8::7]:5061', 487, 'cancelled', 1],
        ].sort(),
      );
    } finally {
      await store.close();
    }
  });
});
