import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCard } from '../../src/core/probe/probe-card.js';
import type { ProbeReport } from '../../src/core/probe/probe-report.js';
import { parseProbeRequest } from '../../src/core/probe/probe-request.js';
import { nodeDnsLookup } from '../../src/probes/dns-lookup.js';
import { PROBE_DEFAULTS, type ProbeConfig } from '../../src/probes/probe-config.js';
import { runProbe } from '../../src/probes/run-probe.js';
import { missingTools, run, stop, waitFor, type Running } from '../ingest/sip-tools.js';
import { freePorts, missingProbeTools, PROBE_FIXTURES, silentUdp, startDnsmasq } from './probe-peers.js';

const missing = [...missingProbeTools(['sipp', 'dnsmasq']), ...missingTools().filter((t) => t !== 'kamailio' && t !== 'sipp')];
const skip = missing.length > 0 && process.env.CI === undefined;

function sippAnswering(code: 200 | 403 | 503, port: number, dir: string): Running {
  return run('sipp', ['-sf', join(PROBE_FIXTURES, `options-${code}.xml`), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '60s', '-nostdin'], { cwd: dir });
}

describe.skipIf(skip)(`probes against SIPp, dnsmasq, a silent port and a junk server${skip ? ` [skipped: ${missing.join(', ')} missing]` : ''}`, () => {
  let dir = '';
  const started: Running[] = [];
  let config: ProbeConfig;
  let dnsPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'siptriage-probe-sipp-'));
    [dnsPort = 0] = await freePorts(1);
    config = { ...PROBE_DEFAULTS, policy: { allow: ['*'], allowPrivate: true }, dnsServers: [`127.0.0.1:${dnsPort}`] };
  });

  afterAll(async () => {
    for (const p of started) await stop(p);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const probe = async (text: string, timeoutMs = 4000): Promise<ProbeReport> => {
    const req = parseProbeRequest(text, { timeoutMs });
    if (!req.ok) throw new Error(req.problem.message);
    const r = await runProbe({ config, dns: nodeDnsLookup({ servers: config.dnsServers, timeoutMs: 1500 }) }, req.value);
    if (!r.ok) throw new Error(r.problem.message);
    return r.value;
  };

  it.each([
    [200, 'The server is up and answering OPTIONS requests.', {}],
    [403, '403 to OPTIONS from this address: the server is up, but its ACL or trunk settings do not list the address siptriage probes from.', { warnings: [{ code: 399, agent: 'sipp.probe.test', text: 'Source address not in trunk ACL' }] }],
    [503, 'The server is overloaded or in maintenance and asks to be left alone for 120 s (Retry-After): a client moves on to the next server (RFC 3263 §4.3).', {
      retryAfter: { seconds: 120, comment: 'maintenance', duration: undefined },
      warnings: [{ code: 399, agent: 'sipp.probe.test', text: 'Trunk drained for maintenance' }],
      reasons: [{ protocol: 'Q.850', cause: 41, text: 'Temporary failure' }],
    }],
  ] as const)('SIPp answering %i: the code, its meaning for a probe, and the headers decoded', async (code, summary, headers) => {
    const [port = 0] = await freePorts(1);
    const sipp = sippAnswering(code, port, dir);
    started.push(sipp);
    await new Promise((r) => setTimeout(r, 400));
    const r = await probe(`sip:127.0.0.1:${port}`);
    const last = r.attempts[r.attempts.length - 1];
    expect(last?.outcome.kind).toBe('answer');
    if (last?.outcome.kind !== 'answer') return;
    expect(last.outcome.answer).toMatchObject({ status: code, server: 'SIPp/3.6.1 (siptriage probe UAS)', allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'], ...headers });
    const card = probeCard(r, Date.now());
    expect(card.summary).toBe(summary);
    expect(card.code).toBe(code);
    expect(await sipp.exited).toBe(0);
  });

  it('a silent port: retransmissions on Timer E at 0.5, 1, 2, 4, 4… s (seen by tshark), then 408 when Timer F fires at 32 s', async () => {
    const silent = await silentUdp();
    const pcap = join(dir, 'silent.pcapng');
    const tshark = run('tshark', ['-i', 'lo', '-f', `udp dst port ${silent.port}`, '-w', pcap]);
    started.push(tshark);
    await waitFor(tshark, /Capturing on/, 'tshark');
    // dumpcap says "Capturing on" a moment before its filter is live.
    await new Promise((res) => setTimeout(res, 1000));
    try {
      const r = await probe(`sip:127.0.0.1:${silent.port}`, 32_000);
      const a = r.attempts[0];
      expect(a?.outcome).toMatchObject({ kind: 'timeout' });
      const card = probeCard(r, Date.now());
      expect(card.code).toBe(408);
      expect(card.title).toBe(`Probe sip:127.0.0.1:${silent.port}: 408 no answer (Timer F)`);
      // 0, 0.5, 1.5, 3.5, 7.5 then every 4 s (T2) up to 31.5: 11 sends in all.
      expect(a?.sends).toHaveLength(11);
      await new Promise((res) => setTimeout(res, 300));
      await stop(tshark, 'SIGINT');
      expect(silent.received()).toBe(11);
      const fields = spawnSync('tshark', ['-r', pcap, '-Y', 'sip.Method == "OPTIONS"', '-T', 'fields', '-e', 'frame.time_relative', '-e', 'sip.Via.branch'], { encoding: 'utf8' });
      const rows = fields.stdout.trim().split('\n').map((l) => l.split('\t'));
      expect(rows, fields.stdout).toHaveLength(11);
      // Every copy is the same transaction (one branch): retransmissions, not new requests.
      expect(new Set(rows.map((row) => row[1])).size).toBe(1);
      const times = rows.map((row) => Number(row[0]));
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
      const expected = [0.5, 1, 2, 4, 4, 4, 4, 4, 4, 4];
      // The schedule, not the machine's speed: each gap is the RFC's, within a generous margin on a loaded host.
      gaps.forEach((g, i) => expect(Math.abs(g - (expected[i] ?? 0)), `gap ${i + 1}: ${g.toFixed(3)} s`).toBeLessThan(0.25));
    } finally {
      await silent.close();
    }
  }, 60_000);

  it('INVITE-dry: cancelled on the first provisional answer, the 487 ACKed, SIPp sees the whole exchange', async () => {
    const [port = 0] = await freePorts(1);
    const uas = run('sipp', ['-sf', join(PROBE_FIXTURES, 'invite-ringing.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '20s', '-nostdin'], { cwd: dir });
    started.push(uas);
    await new Promise((r) => setTimeout(r, 400));
    const r = await probe(`sip:127.0.0.1:${port} --method INVITE-dry`);
    const o = r.attempts[0]?.outcome;
    expect(o?.kind === 'answer' && [o.provisional, o.answer.status]).toEqual([[180], 487]);
    // SIPp exits 0 only if the CANCEL and then the ACK arrived as its scenario expects.
    expect(await uas.exited, uas.output().slice(-1500)).toBe(0);
  });

  it('a TCP server answering 10 MB of junk: one sentence, read no further than the limit', async () => {
    let written = 0;
    const server: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      const junk = Buffer.alloc(1024 * 1024, 0x41);
      const pump = (): void => {
        while (written < 10 * 1024 * 1024) {
          written += junk.length;
          if (!socket.write(junk)) return void socket.once('drain', pump);
        }
        socket.end();
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await probe(`sip:127.0.0.1:${port};transport=tcp`);
      const o = r.attempts[0]?.outcome;
      expect(o?.kind).toBe('junk');
      if (o?.kind !== 'junk') return;
      expect(o.message).toMatch(/^the server answered with \d+ (?:KiB|bytes|MiB) that are not SIP \(starting "AAAAAAAA"\)$/);
      expect(o.bytes).toBeLessThan(10 * 1024 * 1024);
      expect(probeCard(r, Date.now()).title).toBe(`Probe sip:127.0.0.1:${port};transport=tcp: answered with something that is not SIP`);
    } finally {
      server.close();
    }
  });

  it('RFC 3263 failover from dnsmasq: NAPTR → SRV → A, the 503 (Retry-After) and the silent target passed over, the 200 answering', async () => {
    const [p503 = 0, p200 = 0] = await freePorts(2);
    const silent = await silentUdp();
    const dns = await startDnsmasq(dnsPort, [
      // Authoritative for the test domain: a name with only an A record has no AAAA (NODATA), not REFUSED.
      '--local=/probe.test/',
      '--naptr-record=trunk.probe.test,10,50,s,SIP+D2U,,_sip._udp.trunk.probe.test',
      '--naptr-record=trunk.probe.test,20,50,s,SIP+D2T,,_sip._tcp.trunk.probe.test',
      `--srv-host=_sip._udp.trunk.probe.test,busy.probe.test,${p503},10,60`,
      `--srv-host=_sip._udp.trunk.probe.test,dead.probe.test,${silent.port},10,40`,
      `--srv-host=_sip._udp.trunk.probe.test,ok.probe.test,${p200},20,10`,
      '--host-record=busy.probe.test,127.0.0.1',
      '--host-record=dead.probe.test,127.0.0.1',
      '--host-record=ok.probe.test,127.0.0.1',
    ]);
    started.push(dns);
    started.push(sippAnswering(503, p503, dir), sippAnswering(200, p200, dir));
    await new Promise((r) => setTimeout(r, 400));
    try {
      const r = await probe('sip:trunk.probe.test', 2000);
      expect(r.resolution.steps.map((s) => `${s.kind} ${s.query}: ${s.records.join('; ')}${s.note === undefined ? '' : ` (${s.note})`}`)).toEqual([
        'NAPTR trunk.probe.test: 10 50 "s" "SIP+D2U" _sip._udp.trunk.probe.test; 20 50 "s" "SIP+D2T" _sip._tcp.trunk.probe.test',
        `SRV _sip._udp.trunk.probe.test: 10 60 ${p503} busy.probe.test; 10 40 ${silent.port} dead.probe.test; 20 10 ${p200} ok.probe.test`,
        'A busy.probe.test: 127.0.0.1',
        'AAAA busy.probe.test:  (no records)',
        'A dead.probe.test: 127.0.0.1',
        'AAAA dead.probe.test:  (no records)',
        'A ok.probe.test: 127.0.0.1',
        'AAAA ok.probe.test:  (no records)',
      ]);
      expect(r.attempts.map((a) => [a.target.name, a.target.port, a.outcome.kind === 'answer' ? a.outcome.answer.status : a.outcome.kind])).toEqual([
        ['busy.probe.test', p503, 503],
        ['dead.probe.test', silent.port, 'timeout'],
        ['ok.probe.test', p200, 200],
      ]);
      const card = probeCard(r, Date.now());
      expect(card.title).toBe('Probe sip:trunk.probe.test: 200 OK');
      expect(card.sections.find((s) => s.title === 'Attempts')?.items).toEqual([
        expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${p503}/UDP \\(busy\\.probe\\.test\\): 503 Service Unavailable in \\d+ ms$`)),
        expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${silent.port}/UDP \\(dead\\.probe\\.test\\): 408 no answer \\(Timer F\\) \\(sent at 0\\.0, 0\\.5, 1\\.5 s\\)$`)),
        expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${p200}/UDP \\(ok\\.probe\\.test\\): 200 OK in \\d+ ms$`)),
      ]);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('DNS that fails says so in one line, and nothing is sent', async () => {
    const [deadDns = 0] = await freePorts(1);
    const req = parseProbeRequest('sip:nowhere.probe.test', { timeoutMs: 2000 });
    if (!req.ok) throw new Error(req.problem.message);
    const r = await runProbe({ config: { ...config, dnsServers: [`127.0.0.1:${deadDns}`] }, dns: nodeDnsLookup({ servers: [`127.0.0.1:${deadDns}`], timeoutMs: 300 }) }, req.value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.attempts).toEqual([]);
    expect(r.value.resolution.problem?.code).toBe('probe-dns-failed');
    expect(probeCard(r.value, Date.now()).summary).toMatch(/^DNS failed while resolving nowhere\.probe\.test \(NAPTR nowhere\.probe\.test: E[A-Z]+;/);
  });
});
