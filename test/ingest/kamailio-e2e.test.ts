import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService } from '../../src/app/start.js';
import { openStore } from '../../src/store/open-store.js';
import { parseExposition } from './metrics-reader.js';
import { freeUdpPorts, missingTools, run, sippCount, sippStat, stop, waitFor, type Running } from './sip-tools.js';

const HEP = fileURLToPath(new URL('../fixtures/hep/', import.meta.url));
// The mix the SIPp callees answer: code → number of calls.
const MIX = { 200: 6, 486: 5, 503: 4, 404: 3 } as const;
const CAPTURE_KEY = 'e2e-capture-key';

const missing = missingTools();
// In CI the tools are installed by .ci/run, so a missing one is a failure there, not a skip.
const skip = missing.length > 0 && process.env.CI === undefined;
const title = `Kamailio siptrace (HEPv3) → siptriage, SIPp calls answered 200/486/503/404, checked against SIPp and tshark${skip ? ` [skipped: ${missing.join(', ')} not available; .ci/run installs kamailio, sip-tester and tshark]` : ''}`;

describe.skipIf(skip)(title, () => {
  it('records one event per call with the code the callee sent, equal to SIPp\'s statistics and to tshark\'s count', async () => {
    expect(missing).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'siptriage-e2e-'));
    const started: Running[] = [];
    const r = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_URL: `sqlite:${join(dir, 'siptriage.db')}`, HEP_PORT: '0', HEP_HOST: '127.0.0.1', HEP_PASSWORD: CAPTURE_KEY, HEP_CALL_GRACE_SECONDS: '0.5' });
    if (!r.ok) throw new Error(r.error);
    const service = await startService(r.config, createLogger({ level: 'warn', pretty: false }), { input: new PassThrough(), output: new PassThrough(), isTTY: false });
    try {
      const hepPort = service.ports.hep as number;
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
        '-A', `HEP_URI="sip:127.0.0.1:${hepPort}"`, '-A', 'HEP_VERSION=3', '-A', `HEP_AUTH="${CAPTURE_KEY}"`,
      ]);
      started.push(kamailio);
      await waitFor(kamailio, /Listening on[\s\S]*127\.0\.0\.1/, 'kamailio');
      await new Promise((res) => setTimeout(res, 1000));

      const callees = Object.entries(MIX).map(([code, n]) => {
        const scenario = code === '200' ? 'uas-answer-200.xml' : `uas-reject-${code}.xml`;
        const port = uas[Number(code) as keyof typeof uas];
        return { code: Number(code), stat: join(dir, `uas-${code}.csv`), p: run('sipp', ['-sf', join(HEP, 'scenarios', scenario), '-i', '127.0.0.1', '-p', String(port), '-m', String(n), '-timeout', '60s', '-nostdin', '-trace_stat', '-stf', join(dir, `uas-${code}.csv`)], { cwd: dir }) };
      });
      started.push(...callees.map((c) => c.p));
      await new Promise((res) => setTimeout(res, 700));

      // One caller places the calls in an interleaved order, each to the callee for its code, through Kamailio.
      const order = Object.entries(MIX).flatMap(([code, n]) => Array.from({ length: n }, (_, i) => ({ code, i })));
      order.sort((a, b) => a.i - b.i || Number(a.code) - Number(b.code));
      writeFileSync(join(dir, 'calls.csv'), `SEQUENTIAL\n${order.map(({ code }) => `${code};${uas[Number(code) as keyof typeof uas]}`).join('\n')}\n`);
      const caller = run('sipp', ['-sf', join(HEP, 'scenarios', 'uac-mixed.xml'), '-inf', join(dir, 'calls.csv'), '-i', '127.0.0.1', '-p', String(uac), `127.0.0.1:${uas[200]}`, '-rsa', `127.0.0.1:${proxy}`, '-m', String(order.length), '-r', '20', '-timeout', '60s', '-nostdin', '-trace_stat', '-stf', join(dir, 'uac.csv'), '-trace_counts'], { cwd: dir });
      started.push(caller);
      expect(await caller.exited, caller.output().slice(-3000)).toBe(0);
      for (const c of callees) expect(await c.p.exited, c.p.output().slice(-2000)).toBe(0);

      // Let the last HEP packets and the grace period pass, then stop the capture and the proxy.
      await new Promise((res) => setTimeout(res, 1500));
      await stop(tshark, 'SIGINT');
      await stop(kamailio);
      await service.stop();

      // 1. What siptriage recorded, per code (one event per call), read from its own /metrics counters.
      const recorded = new Map<number, number>();
      for (const [series, value] of parseExposition(await service.metrics.text())) {
        const m = /^siptriage_calls_total\{kind="(\w+)",class="\dxx",code="(\d+)",method="INVITE"\}$/.exec(series);
        if (m) recorded.set(Number(m[2]), (recorded.get(Number(m[2])) ?? 0) + value);
      }
      // 2. SIPp's own statistics: each callee completed one call per answer it sent.
      const sipp = new Map(callees.map((c) => [c.code, sippStat(c.stat, 'SuccessfulCall(C)')]));
      // 3. tshark: distinct calls per final response code sent by the callees on the wire.
      const fields = spawnSync('tshark', ['-r', pcap, '-Y', `sip.Status-Code >= 200 && sip.CSeq.method == "INVITE" && udp.srcport in {${Object.values(uas).join(', ')}}`, '-T', 'fields', '-e', 'sip.Call-ID', '-e', 'sip.Status-Code'], { encoding: 'utf8' });
      const onWire = new Map<number, number>();
      for (const key of new Set(fields.stdout.trim().split('\n'))) {
        const code = Number(key.split('\t')[1]);
        onWire.set(code, (onWire.get(code) ?? 0) + 1);
      }
      const expected = new Map(Object.entries(MIX).map(([c, n]) => [Number(c), n]));
      expect(recorded).toEqual(expected);
      // 1b. The same calls in the store that /sip stats and the digest read (written before stop() settled).
      const store = await openStore({ kind: 'sqlite', path: join(dir, 'siptriage.db') });
      try {
        const rows = await store.counts({ from: 0, to: Date.now() + 3_600_000, by: ['code'], methods: ['INVITE'] });
        expect(new Map(rows.map((row) => [row.code, row.count]))).toEqual(expected);
      } finally {
        await store.close();
      }
      expect(sipp).toEqual(expected);
      expect(onWire, `${fields.stderr}${fields.stdout.slice(0, 500)}`).toEqual(expected);

      // The caller saw 500 where the callee sent 503 (Kamailio's tm, RFC 3261 §16.7): siptriage records the origin.
      const counts = readdirSync(dir).find((f) => f.endsWith('_counts.csv')) ?? '';
      expect(sippCount(join(dir, counts), '5_500_Recv')).toBe(MIX[503]);
      expect(sippCount(join(dir, counts), '6_503_Recv')).toBe(0);

      const m = parseExposition(await service.metrics.text());
      expect(m.get('siptriage_ingest_dropped_total{reason="auth"}') ?? 0).toBe(0);
      expect(m.get('siptriage_hep_packets_received_total{transport="udp"}')).toBeGreaterThan(order.length * 6);
    } finally {
      for (const p of started) await stop(p);
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
