// A separate process using the store, for the tests that need one: `write` streams batches and prints
// "ack N" once batch N's recordEvents has resolved (the parent SIGKILLs it mid-stream); `claim` waits for
// "go" on stdin, then races for digests and prints "won PERIOD" for each it claimed.
import { createInterface } from 'node:readline';
import { hashCallId } from '../../src/core/triage/call-events.js';
import { openStore } from '../../src/store/open-store.js';
import type { StoreLocation } from '../../src/store/store-location.js';
import type { StoredEvent } from '../../src/ports/store.js';

const [mode = '', locationJson = '{}', arg = ''] = process.argv.slice(2);
const store = await openStore(JSON.parse(locationJson) as StoreLocation);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const BATCH = 200;
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23);

/** Batch n: BATCH events all in hour n, with Call-IDs of their own. */
function batch(n: number): StoredEvent[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    time: T0 + n * H + i,
    kind: 'failure' as const,
    code: 503,
    method: 'INVITE',
    peer: `peer-${i % 7}`,
    product: null,
    q850: null,
    findings: [],
    callIdHash: hashCallId(`crash-${n}-${i}`),
    surface: 'hep' as const,
    workspace: null,
    channel: null,
  }));
}

if (mode === 'write') {
  say('ready');
  for (let n = 0; ; n++) {
    await store.recordEvents(batch(n));
    say(`ack ${n}`);
  }
} else if (mode === 'claim') {
  const periods = Number(arg);
  say('ready');
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
  for (let p = 0; p < periods; p++) {
    const key = { destination: 'slack:T1:C1', period: `p${p}` };
    if (await store.claimDigest(key, `pid-${process.pid}`, Date.now(), 60_000)) {
      await store.completeDigest(key, `pid-${process.pid}`, `m${p}`);
      say(`won ${p}`);
    }
  }
  await store.close();
  say('done');
}
