import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeHep3 } from '../src/core/hep/encode-hep.js';
import { readTrace } from '../src/core/trace/read-trace.js';

const RAW = fileURLToPath(new URL('../test/fixtures/traces/raw/', import.meta.url));

/**
 * The call flows replayed by the ingest benchmark: real SIPp calls from test/fixtures (answered, busy,
 * unavailable, codec, auth, registration, cancel, not found, loops, session timer, extension, through
 * Kamailio, TCP, IPv6). The unanswered set (09) is left out: it only completes after Timer B.
 */
export const FLOW_SETS = [
  '01-success-200', '02-busy-486', '03-unavailable-503', '04-codec-488', '05-proxy-auth-407', '06-register-401-rejected',
  '07-register-423', '08-cancel-487', '10-not-found-404', '11-too-many-hops-483', '12-session-timer-422',
  '13-bad-extension-420', '14-kamailio-486', '15-kamailio-503', '16-success-tcp', '17-success-ipv6', '19-no-ack-200',
] as const;

interface Flow {
  readonly messages: readonly { readonly text: string; readonly callId: string; readonly response: boolean }[];
}

const flows: Flow[] = FLOW_SETS.map((set) => ({
  messages: readTrace(readFileSync(`${RAW}${set}.sip`, 'utf8')).messages.map((m) => ({
    text: m.raw.replace(/\r?\n/g, '\r\n'),
    callId: m.callId,
    response: m.isResponse,
  })),
}));

export const MESSAGES_PER_ROUND = flows.reduce((n, f) => n + f.messages.length, 0);

/**
 * HEPv3 packets for `rounds` rounds of every flow, each call with a Call-ID of its own, from one of 200
 * peers, stamped with `time` (µs since the epoch) when given.
 */
export function hepTraffic(rounds: number, stamp: () => number = () => Date.now() * 1000, password?: string): Buffer[] {
  const out: Buffer[] = [];
  for (let r = 0; r < rounds; r++) {
    flows.forEach((flow, f) => {
      const peer = `203.0.113.${(r * 7 + f) % 200 + 1}`;
      for (const m of flow.messages) {
        const text = m.text.split(m.callId).join(`r${r}-${m.callId}`);
        const us = stamp();
        const [a, b] = m.response ? [peer, '192.0.2.10'] : ['192.0.2.10', peer];
        out.push(
          Buffer.from(
            encodeHep3({
              src: { host: a, port: 5060 },
              dst: { host: b, port: 5060 },
              timeSec: Math.floor(us / 1e6),
              timeUsec: us % 1e6,
              payload: text,
              ...(password === undefined ? {} : { authKey: password }),
            }),
          ),
        );
      }
    });
  }
  return out;
}
