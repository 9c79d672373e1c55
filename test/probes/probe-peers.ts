import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, waitFor, type Running } from '../ingest/sip-tools.js';

export const PROBE_FIXTURES = fileURLToPath(new URL('../fixtures/probes/', import.meta.url));

/** Tools the probe tests drive; a missing one skips them, saying which (CI installs them all). */
export function missingProbeTools(tools: readonly string[]): string[] {
  return tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
}

/** Ports free for both UDP and TCP on 127.0.0.1 (SIP listens on both with one number). */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree && !out.includes(port)) out.push(port);
  }
  return out;
}

/** A UDP port that receives and never answers: the probe's Timer F runs out against it. */
export async function silentUdp(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  let count = 0;
  socket.on('message', () => count++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, received: () => count, close: () => new Promise((r) => socket.close(() => r())) };
}

export interface TestCerts {
  readonly ca: string;
  readonly dir: string;
  /** name → { cert, key } paths: valid (sip.probe.test), expired (same name), other (other.example.net). */
  readonly files: Record<'valid' | 'expired' | 'other', { cert: string; key: string }>;
}

/**
 * A test CA and three server certificates made with openssl: one valid for sip.probe.test, one for the
 * same name that expired in 2024 (openssl ca with explicit dates), one valid but for another name.
 */
export function makeCerts(dir: string): TestCerts {
  const ssl = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=siptriage probe test CA']);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), `[ca]\ndefault_ca = test\n[test]\ndir = ${dir}\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n`);
  const leaf = (name: string, cn: string, san: string, dates: string[] | undefined): void => {
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
    ssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    if (dates === undefined) ssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '30', '-extfile', `${name}.ext`]);
    else ssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext', '-startdate', dates[0] ?? '', '-enddate', dates[1] ?? '', '-extfile', `${name}.ext`]);
  };
  leaf('valid', 'sip.probe.test', 'DNS:sip.probe.test,URI:sip:sip.probe.test', undefined);
  leaf('expired', 'sip.probe.test', 'DNS:sip.probe.test', ['20240101000000Z', '20240201000000Z']);
  leaf('other', 'other.example.net', 'DNS:other.example.net', undefined);
  const f = (n: string) => ({ cert: join(dir, `${n}.pem`), key: join(dir, `${n}.key`) });
  return { ca: join(dir, 'ca.pem'), dir, files: { valid: f('valid'), expired: f('expired'), other: f('other') } };
}

/** Kamailio answering OPTIONS (and REGISTER with a digest) on UDP+TCP at `sip`, and TLS with one certificate per port. */
export async function startKamailio(dir: string, o: { sip: number; tls: Record<string, { port: number; cert: string; key: string }>; password: string; algorithm: 'MD5' | 'SHA-256'; fallback: { cert: string; key: string } }): Promise<Running> {
  const tlsCfg = join(dir, `tls-${o.sip}.cfg`);
  // Kamailio's tls module wants a default domain even where no TLS socket uses it.
  const fallback = Object.values(o.tls)[0] ?? o.fallback;
  const defaults = `[server:default]\nmethod = TLSv1.2+\ncertificate = ${fallback.cert}\nprivate_key = ${fallback.key}\n\n`;
  writeFileSync(tlsCfg, defaults + Object.values(o.tls).map((t) => `[server:127.0.0.1:${t.port}]\nmethod = TLSv1.2+\ncertificate = ${t.cert}\nprivate_key = ${t.key}\nverify_certificate = no\n`).join('\n'));
  const listen = [`udp:127.0.0.1:${o.sip}`, `tcp:127.0.0.1:${o.sip}`, ...Object.values(o.tls).map((t) => `tls:127.0.0.1:${t.port}`)].flatMap((l) => ['-l', l]);
  const k = run('kamailio', ['-f', join(PROBE_FIXTURES, 'kamailio-probe.cfg'), '-DD', '-E', '-m', '64', '-M', '8', ...listen, '-Y', dir, '-P', join(dir, `kamailio-${o.sip}.pid`), '-w', dir,
    '-A', `TLS_CFG="${tlsCfg}"`, '-A', `PROBE_PASSWORD="${o.password}"`, '-A', `DIGEST_ALG="${o.algorithm}"`]);
  await waitFor(k, /Listening on[\s\S]*Aliases:/, 'kamailio');
  await new Promise((r) => setTimeout(r, 500));
  return k;
}

/** dnsmasq serving the given records on a non-standard port, nothing else (no upstream, no /etc/hosts). */
export async function startDnsmasq(port: number, records: readonly string[]): Promise<Running> {
  const d = run('dnsmasq', ['-k', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--pid-file=', '--log-facility=-', '--log-queries', ...records]);
  await waitFor(d, /started, version/, 'dnsmasq');
  return d;
}

/**
 * A UDP SIP peer answering every OPTIONS with 200 OK (Via, From, To, Call-ID and CSeq copied back, as
 * RFC 3261 §8.2.6.2 says), counting the requests it got: how often it was probed.
 */
export async function optionsResponder(port = 0): Promise<{ port: number; requests: () => number; transactions: () => number; close: () => Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  let count = 0;
  // A retransmission (Timer E, when the answer was slow to arrive on a loaded machine) is the same transaction.
  const seen = new Set<string>();
  socket.on('message', (buf, rinfo) => {
    const text = buf.toString('utf8');
    if (!text.startsWith('OPTIONS ')) return;
    count++;
    seen.add(/^(?:call-id|i):\s*(.*)$/im.exec(text)?.[1] ?? String(count));
    const headers = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
    const answer = ['SIP/2.0 200 OK', ...headers.map((h) => (/^to:/i.test(h) && !/;tag=/i.test(h) ? `${h};tag=responder` : h)), 'Server: siptriage-test-responder', 'Content-Length: 0', '', ''].join('\r\n');
    socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, requests: () => count, transactions: () => seen.size, close: () => new Promise((r) => socket.close(() => r())) };
}
