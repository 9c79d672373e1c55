import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHep3 } from '../../src/core/hep/encode-hep.js';
import { peekSipMessage } from '../../src/core/sip/peek-message.js';
import { parseExposition } from '../ingest/metrics-reader.js';
import { rawPayloads } from '../ingest/raw-fixtures.js';
import { startServed, type ServedProcess } from './served-process.js';

// Issue 13 item 6: a call whose final response is the last packet captured (the ACK went another way, or
// the capture agent missed it) was never closed, so the failure was never counted unless a flood evicted it.
const PASSWORD = 'attack-capture-password';
const METRIC = 'siptriage_calls_total{kind="failure",class="4xx",code="486",method="INVITE"}';
let served: ServedProcess;

beforeAll(async () => {
  served = await startServed({ DATABASE_URL: ':memory:', HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: PASSWORD, HEP_CALL_GRACE_SECONDS: '0.5' }, 'HEP collector listening (UDP and TCP)');
}, 60_000);
afterAll(async () => {
  await served?.stop();
});

async function metric(name: string): Promise<number> {
  return parseExposition(await (await fetch(`${served.base}/metrics`)).text()).get(name) ?? 0;
}

describe('a HEP call that ends with its final response', () => {
  it('is closed and counted on its grace timer, with nothing after the final', async () => {
    const payloads = rawPayloads('14-kamailio-486', '-noack');
    const last = payloads.findIndex((p) => (peekSipMessage(p)?.status ?? 0) >= 200);
    const udp = createSocket('udp4');
    const src = { host: '10.0.0.1', port: 5060 };
    const dst = { host: '10.0.0.2', port: 5060 };
    for (const payload of payloads.slice(0, last + 1)) {
      const packet = encodeHep3({ src, dst, authKey: PASSWORD, timeSec: Math.floor(Date.now() / 1000), payload });
      await new Promise<void>((resolve) => udp.send(packet, served.hepPort(), '127.0.0.1', () => resolve()));
    }
    udp.close();
    // Bounded wait (grace 0.5 s plus the sweep); before the fix the count stayed 0 for ever.
    for (let i = 0; i < 100 && (await metric(METRIC)) < 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await metric(METRIC)).toBe(1);
  });
});
