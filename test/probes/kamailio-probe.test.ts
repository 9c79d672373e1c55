import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCard } from '../../src/core/probe/probe-card.js';
import type { ProbeReport } from '../../src/core/probe/probe-report.js';
import { parseProbeRequest } from '../../src/core/probe/probe-request.js';
import { nodeDnsLookup } from '../../src/probes/dns-lookup.js';
import { PROBE_DEFAULTS, type ProbeConfig } from '../../src/probes/probe-config.js';
import { runProbe } from '../../src/probes/run-probe.js';
import { stop, type Running } from '../ingest/sip-tools.js';
import { freePorts, makeCerts, missingProbeTools, startDnsmasq, startKamailio, type TestCerts } from './probe-peers.js';

const missing = missingProbeTools(['kamailio', 'openssl', 'dnsmasq']);
const skip = missing.length > 0 && process.env.CI === undefined;
const PASSWORD = 'probe-pass-7f3a';

describe.skipIf(skip)(`probes against Kamailio on loopback (UDP, TCP, TLS with openssl certificates)${skip ? ` [skipped: ${missing.join(', ')} missing]` : ''}`, () => {
  let dir = '';
  let certs: TestCerts;
  const started: Running[] = [];
  let ports: number[] = [];
  let config: ProbeConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'siptriage-probe-'));
    certs = makeCerts(dir);
    ports = await freePorts(6);
    const [sip = 0, valid = 0, expired = 0, other = 0, dns = 0, sip2 = 0] = ports;
    started.push(await startKamailio(dir, { sip, tls: { valid: { port: valid, ...certs.files.valid }, expired: { port: expired, ...certs.files.expired }, other: { port: other, ...certs.files.other } }, password: PASSWORD, algorithm: 'MD5', fallback: certs.files.valid }));
    started.push(await startKamailio(dir, { sip: sip2, tls: {}, password: PASSWORD, algorithm: 'SHA-256', fallback: certs.files.valid }));
    // sip.probe.test is the name in the certificates; both Kamailios are on 127.0.0.1.
    started.push(await startDnsmasq(dns, ['--host-record=sip.probe.test,127.0.0.1', '--host-record=sha.probe.test,127.0.0.1']));
    config = { ...PROBE_DEFAULTS, policy: { allow: ['*'], allowPrivate: true }, dnsServers: [`127.0.0.1:${dns}`], tlsCa: readFileSync(certs.ca, 'utf8') };
  }, 60_000);

  afterAll(async () => {
    for (const p of started) await stop(p);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const probe = async (text: string, extra: Partial<ProbeConfig> = {}, creds?: { username: string; password: string }): Promise<ProbeReport> => {
    const req = parseProbeRequest(text, { timeoutMs: 4000 });
    if (!req.ok) throw new Error(req.problem.message);
    const cfg = { ...config, ...extra };
    const r = await runProbe({ config: cfg, dns: nodeDnsLookup({ servers: cfg.dnsServers, timeoutMs: 2000 }), ...(creds === undefined ? {} : { credentials: () => creds }) }, req.value);
    if (!r.ok) throw new Error(r.problem.message);
    return r.value;
  };
  const answer = (r: ProbeReport) => {
    const o = r.attempts[r.attempts.length - 1]?.outcome;
    if (o?.kind !== 'answer') throw new Error(`no answer: ${JSON.stringify(o)}`);
    return o.answer;
  };

  it.each(['udp', 'tcp'])('OPTIONS over %s: 200 from Kamailio with its Server, Allow, Supported and Accept decoded', async (transport) => {
    const r = await probe(`sip:127.0.0.1:${ports[0]};transport=${transport}`);
    const a = answer(r);
    expect(a.status).toBe(200);
    expect(a.reason).toBe('Keepalive');
    expect(a.server).toMatch(/^kamailio \(5\./);
    expect(a.allow).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER']);
    expect(a.supported).toEqual(['path', 'outbound']);
    expect(a.accept).toEqual(['application/sdp']);
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]?.sends).toHaveLength(1);
    const card = probeCard(r, Date.now());
    expect(card.title).toBe(`Probe sip:127.0.0.1:${ports[0]};transport=${transport}: 200 Keepalive`);
    expect(card.summary).toBe('The server is up and answering OPTIONS requests.');
  });

  it('OPTIONS over TLS to a name with a valid certificate: chain verified against the given CA, SAN matched (RFC 5922), no finding', async () => {
    const r = await probe(`sips:sip.probe.test:${ports[1]}`);
    expect(answer(r).status).toBe(200);
    const tls = r.attempts[0]?.tls;
    expect(tls).toMatchObject({ chainVerified: true, matchedBy: 'URI:sip:sip.probe.test', subject: 'CN=sip.probe.test', issuer: 'CN=siptriage probe test CA' });
    expect(tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(tls?.daysLeft).toBeGreaterThanOrEqual(28);
    expect(probeCard(r, Date.now()).findings).toEqual([]);
  });

  it('the same certificate without the CA: the chain is a finding', async () => {
    const r = await probe(`sips:sip.probe.test:${ports[1]}`, { tlsCa: undefined as unknown as string });
    const findings = probeCard(r, Date.now()).findings ?? [];
    expect(findings.map((f) => f.title)).toEqual([expect.stringMatching(/^The certificate chain does not verify \((?:UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/)]);
  });

  it('an expired certificate is a finding, with the date it expired', async () => {
    const r = await probe(`sips:sip.probe.test:${ports[2]}`);
    expect(answer(r).status).toBe(200);
    const card = probeCard(r, Date.now());
    expect(card.findings?.map((f) => f.title)).toEqual([
      expect.stringMatching(/^The certificate expired on 2024-02-01T00:00Z \(\d+ days ago\)/),
      'The certificate chain does not verify (CERT_HAS_EXPIRED): clients without this issuer in their store refuse it.',
    ]);
  });

  it('a certificate for another name is a finding naming what it does name', async () => {
    const r = await probe(`sips:sip.probe.test:${ports[3]}`);
    const card = probeCard(r, Date.now());
    expect(card.findings?.map((f) => f.title)).toEqual(['The certificate does not name sip.probe.test (it names DNS:other.example.net); RFC 5922 §7 clients refuse it.']);
    expect(r.attempts[0]?.tls?.chainVerified).toBe(true);
  });

  it.each([['MD5', 0], ['SHA-256', 5]] as const)('REGISTER with %s digest credentials from config: challenged, registered, then unregistered with Expires: 0', async (algorithm, i) => {
    const r = await probe(`sip:sha.probe.test:${ports[i]} --method REGISTER`, {}, { username: 'probe', password: PASSWORD });
    expect(answer(r).status).toBe(200);
    expect(r.attempts[0]?.register).toEqual({ challenge: { status: 401, algorithm, realm: 'sha.probe.test' }, unregister: { status: 200, reason: 'OK' } });
    const card = probeCard(r, Date.now());
    expect(JSON.stringify(card)).not.toContain(PASSWORD);
  });

  it('REGISTER with a wrong password: the registrar\'s 401 after the answered challenge, and no unregister', async () => {
    const r = await probe(`sip:sha.probe.test:${ports[0]} --method REGISTER`, {}, { username: 'probe', password: 'wrong' });
    expect(answer(r).status).toBe(401);
    expect(r.attempts[0]?.register).toEqual({ challenge: { status: 401, algorithm: 'MD5', realm: 'sha.probe.test' } });
    expect(probeCard(r, Date.now()).summary).toMatch(/refused the credentials/);
  });

  it('REGISTER without credentials configured: the challenge is shown, nothing is guessed', async () => {
    const r = await probe(`sip:sha.probe.test:${ports[0]} --method REGISTER`);
    expect(answer(r).status).toBe(401);
    expect(r.attempts[0]?.register?.noCredentials).toMatch(/none configured for sha.probe.test \(PROBE_CREDENTIALS/);
  });
});
