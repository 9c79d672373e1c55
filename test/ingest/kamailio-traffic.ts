// Real SIP traffic for tests that need live ingest: SIPp callers and callees through a Kamailio proxy that
// mirrors every message to siptriage over HEPv3 (siptrace), as a production proxy would.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPorts, run, stop, waitFor, type Running } from './sip-tools.js';

const HEP = fileURLToPath(new URL('../fixtures/hep/', import.meta.url));

/** The callees' answers: code → number of calls (codes with a scenario in test/fixtures/hep/scenarios). */
export type CallMix = Readonly<Partial<Record<200 | 486 | 503 | 404, number>>>;

export interface KamailioTraffic {
  /** The proxy's and every SIPp's UDP port, for a capture filter. */
  readonly sipPorts: readonly number[];
  /** Each callee's port by the code it answers. */
  readonly callees: ReadonlyMap<number, { readonly port: number; readonly stat: string; readonly process: Running }>;
  readonly caller: { readonly stat: string; readonly process: Running };
  /** Every process started, for the test's cleanup (stop() is safe on ones already ended). */
  readonly started: readonly Running[];
  /** Stops the proxy (after the calls), so its last HEP packets have gone out. */
  stopProxy(): Promise<void>;
}

export interface TrafficOptions {
  readonly dir: string;
  readonly hepPort: number;
  readonly captureKey: string;
  readonly mix: CallMix;
  /** Calls placed per second (20 by default); slower spreads the calls over several scrapes. */
  readonly callsPerSecond?: number;
  /** Called with the SIP ports before any SIP is sent, e.g. to start a capture. */
  readonly beforeCalls?: (sipPorts: readonly number[]) => Promise<void>;
}

/**
 * Places the mix's calls, interleaved, from one SIPp caller through Kamailio to one SIPp callee per code,
 * and resolves when the caller and every callee have ended (their exit codes are checked by the caller).
 */
export async function placeCallsThroughKamailio(o: TrafficOptions): Promise<KamailioTraffic> {
  const codes = Object.keys(o.mix).map(Number);
  const [proxy = 0, uac = 0, ...uasPorts] = await freeUdpPorts(2 + codes.length);
  const sipPorts = [proxy, uac, ...uasPorts];
  const started: Running[] = [];
  await o.beforeCalls?.(sipPorts);

  const kamailio = run('kamailio', [
    '-f', join(HEP, 'kamailio-hep.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-l', `udp:127.0.0.1:${proxy}`,
    '-Y', o.dir, '-P', join(o.dir, 'kamailio.pid'), '-w', o.dir,
    '-A', `HEP_URI="sip:127.0.0.1:${o.hepPort}"`, '-A', 'HEP_VERSION=3', '-A', `HEP_AUTH="${o.captureKey}"`,
  ]);
  started.push(kamailio);
  await waitFor(kamailio, /Listening on[\s\S]*127\.0\.0\.1/, 'kamailio');
  await new Promise((res) => setTimeout(res, 1000));

  const callees = new Map<number, { port: number; stat: string; process: Running }>();
  codes.forEach((code, i) => {
    const port = uasPorts[i] ?? 0;
    const n = o.mix[code as keyof CallMix] ?? 0;
    const scenario = code === 200 ? 'uas-answer-200.xml' : `uas-reject-${code}.xml`;
    const stat = join(o.dir, `uas-${code}.csv`);
    const process = run('sipp', ['-sf', join(HEP, 'scenarios', scenario), '-i', '127.0.0.1', '-p', String(port), '-m', String(n), '-timeout', '60s', '-nostdin', '-trace_stat', '-stf', stat], { cwd: o.dir });
    callees.set(code, { port, stat, process });
    started.push(process);
  });
  await new Promise((res) => setTimeout(res, 700));

  // Interleaved, so the calls of one code are not one burst: 200, 404, 486, 503, 200, 404, …
  const order = codes.flatMap((code) => Array.from({ length: o.mix[code as keyof CallMix] ?? 0 }, (_, i) => ({ code, i })));
  order.sort((a, b) => a.i - b.i || a.code - b.code);
  writeFileSync(join(o.dir, 'calls.csv'), `SEQUENTIAL\n${order.map(({ code }) => `${code};${callees.get(code)?.port ?? 0}`).join('\n')}\n`);
  const firstPort = callees.values().next().value?.port ?? 0;
  const stat = join(o.dir, 'uac.csv');
  const caller = run('sipp', ['-sf', join(HEP, 'scenarios', 'uac-mixed.xml'), '-inf', join(o.dir, 'calls.csv'), '-i', '127.0.0.1', '-p', String(uac), `127.0.0.1:${firstPort}`, '-rsa', `127.0.0.1:${proxy}`, '-m', String(order.length), '-r', String(o.callsPerSecond ?? 20), '-timeout', '60s', '-nostdin', '-trace_stat', '-stf', stat, '-trace_counts'], { cwd: o.dir });
  started.push(caller);
  await caller.exited;
  await Promise.all([...callees.values()].map((c) => c.process.exited));
  return { sipPorts, callees, caller: { stat, process: caller }, started, stopProxy: () => stop(kamailio) };
}
