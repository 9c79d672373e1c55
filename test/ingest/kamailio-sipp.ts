import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPorts, run, stop, waitFor, type Running } from './sip-tools.js';

const HEP = fileURLToPath(new URL('../fixtures/hep/', import.meta.url));

export type CalleeCode = 200 | 486 | 503 | 404;

export interface SippRun {
  /** tshark's capture of the SIP ports on lo (pcapng), stopped. */
  readonly pcap: string;
  /** The UDP port of the SIPp callee answering each code. */
  readonly uas: Readonly<Record<CalleeCode, number>>;
  /** Each callee's -trace_stat CSV. */
  readonly callees: readonly { readonly code: number; readonly stat: string }[];
  /** How many calls the caller placed. */
  readonly placed: number;
}

/**
 * Real calls through a real proxy: SIPp callees answering 200/486/503/404, one SIPp caller placing `mix`
 * calls (interleaved) through Kamailio, whose siptrace mirrors every message as HEP to `hepPort`, with tshark
 * capturing the SIP ports on lo. Returns once the callers and callees are done, the last HEP packets have
 * had time to arrive and tshark and Kamailio are stopped. `callsPerSecond` (20) lower spreads the calls over time. Every process started is pushed to `started` so the
 * caller's `finally` can stop them on a failure. Used by the live-ingest and the kept-calls end-to-end tests.
 */
export async function sippThroughKamailio(o: { dir: string; hepPort: number; captureKey: string; mix: Partial<Record<CalleeCode, number>>; started: Running[]; callsPerSecond?: number }): Promise<SippRun> {
  const { dir, started } = o;
  const [proxy = 0, uac = 0, ...uasPorts] = await freeUdpPorts(6);
  const uas = { 200: uasPorts[0] ?? 0, 486: uasPorts[1] ?? 0, 503: uasPorts[2] ?? 0, 404: uasPorts[3] ?? 0 };
  const sipPorts = [proxy, uac, ...Object.values(uas)];

  const pcap = join(dir, 'sip.pcapng');
  const tshark = run('tshark', ['-i', 'lo', '-f', sipPorts.map((p) => `udp port ${p}`).join(' or '), '-w', pcap]);
  started.push(tshark);
  await waitFor(tshark, /Capturing on/, 'tshark');

  const kamailio = run('kamailio', [
    '-f', join(HEP, 'kamailio-hep.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-l', `udp:127.0.0.1:${proxy}`,
    '-Y', dir, '-P', join(dir, 'kamailio.pid'), '-w', dir,
    '-A', `HEP_URI="sip:127.0.0.1:${o.hepPort}"`, '-A', 'HEP_VERSION=3', '-A', `HEP_AUTH="${o.captureKey}"`,
  ]);
  started.push(kamailio);
  await waitFor(kamailio, /Listening on[\s\S]*127\.0\.0\.1/, 'kamailio');
  await new Promise((res) => setTimeout(res, 1000));

  const mix = Object.entries(o.mix).filter(([, n]) => (n ?? 0) > 0) as [string, number][];
  const callees = mix.map(([code, n]) => {
    const scenario = code === '200' ? 'uas-answer-200.xml' : `uas-reject-${code}.xml`;
    const port = uas[Number(code) as CalleeCode];
    const stat = join(dir, `uas-${code}.csv`);
    return { code: Number(code), stat, p: run('sipp', ['-sf', join(HEP, 'scenarios', scenario), '-i', '127.0.0.1', '-p', String(port), '-m', String(n), '-timeout', '60s', '-nostdin', '-trace_stat', '-stf', stat], { cwd: dir }) };
  });
  started.push(...callees.map((c) => c.p));
  await new Promise((res) => setTimeout(res, 700));

  // One caller places the calls in an interleaved order, each to the callee for its code, through Kamailio.
  const order = mix.flatMap(([code, n]) => Array.from({ length: n }, (_, i) => ({ code, i })));
  order.sort((a, b) => a.i - b.i || Number(a.code) - Number(b.code));
  writeFileSync(join(dir, 'calls.csv'), `SEQUENTIAL\n${order.map(({ code }) => `${code};${uas[Number(code) as CalleeCode]}`).join('\n')}\n`);
  const caller = run('sipp', ['-sf', join(HEP, 'scenarios', 'uac-mixed.xml'), '-inf', join(dir, 'calls.csv'), '-i', '127.0.0.1', '-p', String(uac), `127.0.0.1:${uas[200]}`, '-rsa', `127.0.0.1:${proxy}`, '-m', String(order.length), '-r', String(o.callsPerSecond ?? 20), '-timeout', '60s', '-nostdin', '-trace_stat', '-stf', join(dir, 'uac.csv'), '-trace_counts'], { cwd: dir });
  started.push(caller);
  const exited = await caller.exited;
  if (exited !== 0) throw new Error(`the SIPp caller exited ${exited}: ${caller.output().slice(-3000)}`);
  for (const c of callees) {
    const code = await c.p.exited;
    if (code !== 0) throw new Error(`the SIPp callee for ${c.code} exited ${code}: ${c.p.output().slice(-2000)}`);
  }

  // Let the last HEP packets and the grace period pass, then stop the capture and the proxy.
  await new Promise((res) => setTimeout(res, 1500));
  await stop(tshark, 'SIGINT');
  await stop(kamailio);
  return { pcap, uas, callees: callees.map(({ code, stat }) => ({ code, stat })), placed: order.length };
}
