import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startService } from '../../src/app/start.js';
import { openStore } from '../../src/store/open-store.js';
import { parseExposition } from './metrics-reader.js';
import { sippThroughKamailio } from './kamailio-sipp.js';
import { missingTools, sippCount, sippStat, stop, type Running } from './sip-tools.js';

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
      const { pcap, uas, callees, placed } = await sippThroughKamailio({ dir, hepPort: service.ports.hep as number, captureKey: CAPTURE_KEY, mix: MIX, started });
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
      expect(m.get('siptriage_hep_packets_received_total{transport="udp"}')).toBeGreaterThan(placed * 6);
    } finally {
      for (const p of started) await stop(p);
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
