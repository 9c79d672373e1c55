import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { DEFAULT_LEG_OPTIONS } from '../../../src/core/calls/leg-keys.js';
import { createEngine } from '../../../src/core/engine.js';
import { buildLadder } from '../../../src/core/ladder/build-ladder.js';
import { CaptureTriage } from '../../../src/core/triage/capture-triage.js';
import { triageJson } from '../../../src/core/triage/report-json.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { memoryIo } from '../../cli/memory-io.js';
import { freeUdpPorts, missingTools, run, stop, type Running } from '../../ingest/sip-tools.js';

const SCENARIOS = fileURLToPath(new URL('../../fixtures/legs/sipp/', import.meta.url));
const kb = defaultKnowledge();
const open = { numbers: false, addresses: false };
// The A leg's Call-ID; the SBC derives the B leg's by adding "-b2b" before the host (a CALLS_LEG_RULES suffix).
const A_ID = '9d2f41c7e0a8-1@127.0.0.1';
const B_ID = '9d2f41c7e0a8-1-b2b@127.0.0.1';
const XCID = 'sbc-corr-4711-9d2f41c7e0a8';

const missing = missingTools().filter((t) => t !== 'kamailio');
// In CI the tools are installed by .ci/run, so a missing one is a failure there, not a skip.
const skip = missing.length > 0 && process.env.CI === undefined;
const title = `legs of one call through a B2BUA in a real capture (SIPp on 127.0.0.1, tshark)${skip ? ` [skipped: ${missing.join(', ')} not available; .ci/run installs sip-tester and tshark]` : ''}`;

interface Made {
  readonly pcap: string;
  readonly carrier: number;
}

/**
 * One call through an SBC acting as a B2BUA, played by four SIPp instances on 127.0.0.1 and captured by tshark:
 * the caller's A leg to the SBC's inside (which answers 100, then 500 three seconds later), and meanwhile the
 * SBC's B leg from its outside to the carrier (which answers 503 with Q.850 cause 34). Both INVITEs carry the
 * same X-CID, and the B leg's Call-ID is the A leg's with "-b2b".
 */
async function makeCapture(dir: string, started: Running[]): Promise<Made> {
  const [caller = 0, sbcIn = 0, sbcOut = 0, carrier = 0] = await freeUdpPorts(4);
  const pcap = join(dir, 'b2bua.pcapng');
  const tshark = run('tshark', ['-i', 'lo', '-f', [caller, sbcIn, sbcOut, carrier].map((p) => `udp port ${p}`).join(' or '), '-w', pcap]);
  started.push(tshark);
  await waitOutput(tshark, /Capturing on/, 'tshark');
  const uas = (scenario: string, port: number): Running => run('sipp', ['-sf', join(SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '30s', '-nostdin'], { cwd: dir });
  const uac = (port: number, to: number, callId: string, ua: string): Running =>
    run('sipp', ['-sf', join(SCENARIOS, 'uac-leg.xml'), '-i', '127.0.0.1', '-p', String(port), `127.0.0.1:${to}`, '-m', '1', '-cid_str', callId, '-key', 'xcid', XCID, '-key', 'ua', ua, '-timeout', '30s', '-nostdin'], { cwd: dir });
  const sbc = uas('uas-sbc-500.xml', sbcIn);
  const far = uas('uas-carrier-503.xml', carrier);
  started.push(sbc, far);
  // Let the callees bind before the first INVITE.
  await new Promise((res) => setTimeout(res, 700));
  const a = uac(caller, sbcIn, A_ID.replace('-1@', '-%u@'), 'Asterisk PBX 18.20.0');
  started.push(a);
  await new Promise((res) => setTimeout(res, 300));
  const b = uac(sbcOut, carrier, B_ID.replace('-1-b2b@', '-%u-b2b@'), 'edge-sbc 4.2');
  started.push(b);
  for (const [what, p] of [['B leg caller', b], ['carrier', far], ['A leg caller', a], ['SBC', sbc]] as const) {
    const code = await p.exited;
    if (code !== 0) throw new Error(`SIPp (${what}) exited ${code}: ${p.output().slice(-2000)}`);
  }
  await new Promise((res) => setTimeout(res, 300));
  await stop(tshark, 'SIGINT');
  return { pcap, carrier };
}

async function waitOutput(r: Running, pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 300 && !pattern.test(r.output()); i++) {
    if (r.child.exitCode !== null) throw new Error(`${what} exited early: ${r.output().slice(-2000)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  if (!pattern.test(r.output())) throw new Error(`${what} not ready: ${r.output().slice(-2000)}`);
}

describe.skipIf(skip)(title, () => {
  let dir: string;
  let made: Made;
  let file: Buffer;
  const started: Running[] = [];
  beforeAll(async () => {
    expect(missing).toEqual([]);
    dir = mkdtempSync(join(tmpdir(), 'siptriage-legs-'));
    try {
      made = await makeCapture(dir, started);
    } finally {
      for (const p of started) await stop(p);
    }
    file = readFileSync(made.pcap);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verdict = (): string => `The B leg got 503 Service Unavailable from the carrier (127.0.0.1:${made.carrier}); the SBC answered the caller 500 Server Internal Error.`;

  it('joins the two Call-IDs into one call and names the B leg as the one that failed first', () => {
    const answer = createEngine(kb, { maxTraceBytes: 1 << 20, redact: open }).triageBytes(file, 'b2bua.pcapng');
    expect(answer.report.format).toBe('pcapng');
    expect(answer.report.calls.map((c) => c.call.callId)).toEqual([A_ID, B_ID]);
    expect(answer.report.legs).toEqual([{ callIds: [A_ID, B_ID], failedFirst: B_ID, verdict: verdict() }]);
    expect(answer.totals?.legs).toEqual({ groups: 1, unjoined: 0 });
    // The summary leads with the joined verdict and counts the SBC's answer to the caller with the leg it passed on.
    expect(answer.summary.summary).toBe(verdict());
    expect(answer.summary.sections.find((s) => s.title === 'One call, 2 legs')?.items).toEqual([
      verdict(),
      `A leg: INVITE → 500 Server Internal Error (failed): Call-ID ${A_ID}`,
      `B leg: INVITE → 503 Service Unavailable (failed): Call-ID ${B_ID}`,
    ]);
    expect(answer.summary.footer).toContain('1 B2BUA leg counted with the call it passed on');
  });

  it('draws both legs on one ladder: caller, SBC inside, SBC outside and carrier, every message in capture order', () => {
    const report = createEngine(kb, { maxTraceBytes: 1 << 20, redact: open }).triageBytes(file).report;
    const ladder = buildLadder(report);
    expect(ladder.calls).toHaveLength(1);
    const [call] = ladder.calls;
    expect(call?.callId).toBe(`${A_ID} + ${B_ID}`);
    expect(call?.title).toBe(verdict());
    expect(call?.hosts).toHaveLength(4);
    expect(call?.arrows.map((a) => a.message)).toEqual(report.entries.map((e) => e.index));
    expect(call?.arrows.filter((a) => a.highlight === 'failure').map((a) => a.label)).toEqual(['503 Service Unavailable', '500 Server Internal Error']);
  });

  it('joins by the suffix rule alone, and not at all without a key', () => {
    const legsWith = (legs: ConstructorParameters<typeof CaptureTriage>[1]): unknown => {
      const triage = new CaptureTriage(kb, { redact: open, ...legs });
      triage.push(file);
      return triage.end().report.legs;
    };
    expect(legsWith({ legs: { correlationHeaders: [], legRules: [{ kind: 'suffix', text: '-b2b' }] } })).toEqual([{ callIds: [A_ID, B_ID], failedFirst: B_ID, verdict: verdict() }]);
    expect(legsWith({ legs: { correlationHeaders: [], legRules: [] } })).toBeUndefined();
    expect(legsWith({})).toBeUndefined();
  });

  it('gives the same legs for the same messages as text (tshark -V) as for the capture', () => {
    const text = spawnSync('tshark', ['-r', made.pcap, '-V', '-Y', 'sip'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    const engine = createEngine(kb, { maxTraceBytes: 1 << 20, redact: open, legs: DEFAULT_LEG_OPTIONS });
    const pasted = engine.triage(text.stdout);
    expect(pasted.report.format).toBe('tshark');
    const captured = engine.triageBytes(file);
    expect(pasted.report.legs).toEqual(captured.report.legs);
    expect(pasted.summary.summary).toBe(captured.summary.summary);
  });

  it('lists the legs in `siptriage triage --json`, streamed, as the engine gives them', async () => {
    const io = memoryIo({});
    expect(await runCli(['triage', made.pcap, '--json'], io.io)).toBe(0);
    const json = JSON.parse(io.out()) as ReturnType<typeof triageJson>;
    expect(json.legs).toEqual([{ callIds: [A_ID, B_ID], failedFirst: B_ID, verdict: verdict() }]);
    expect(json).toEqual(triageJson(createEngine(kb).triageBytes(file).report));
  });
});
