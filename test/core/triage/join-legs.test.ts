import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEG_OPTIONS } from '../../../src/core/calls/leg-keys.js';
import { createEngine } from '../../../src/core/engine.js';
import { buildLadder } from '../../../src/core/ladder/build-ladder.js';
import { renderLadderSvg } from '../../../src/core/ladder/render-ladder-svg.js';
import { renderLadderText } from '../../../src/core/ladder/render-ladder-text.js';
import { Redactor } from '../../../src/core/redact.js';
import { readTrace } from '../../../src/core/trace/read-trace.js';
import { legVerdict } from '../../../src/core/triage/join-legs.js';
import { triageMessages } from '../../../src/core/triage/triage.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';

// One call through an SBC acting as a B2BUA (test/fixtures/legs/README.md): the carrier refuses the B leg
// with 503 (Q.850 cause 34), the SBC answers the caller 500.
const fixture = (f: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/legs', f), 'utf8');
const kb = loadKnowledge();
const open = { numbers: false, addresses: false };
const A = 'a1f3c9e27b5d4e80@192.0.2.10';
const B_XCID = 'SBC-7731-0042@203.0.113.5';
const B_SUFFIX = 'a1f3c9e27b5d4e80-b2b@192.0.2.10';
const VERDICT = 'The B leg got 503 Service Unavailable from the carrier (203.0.113.7:5060); the SBC answered the caller 500 Server Internal Error.';

describe('legs of one call through a B2BUA', () => {
  it('joins two legs with different Call-IDs by X-CID and names the B leg as the one that failed first', () => {
    const answer = createEngine(kb, { maxTraceBytes: 1 << 20, redact: open }).triage(fixture('b2bua-xcid-503.txt'));
    expect(answer.report.calls.map((c) => c.call.callId).sort()).toEqual([A, B_XCID].sort());
    expect(answer.report.legs).toEqual([{ callIds: [A, B_XCID], failedFirst: B_XCID, verdict: VERDICT }]);
    // The summary leads with the verdict and lists both legs as one call.
    expect(answer.summary.summary.startsWith(VERDICT)).toBe(true);
    const section = answer.summary.sections.find((s) => s.title === 'One call, 2 legs');
    expect(section?.items).toEqual([VERDICT, `A leg: INVITE → 500 Server Internal Error (failed): Call-ID ${A}`, `B leg: INVITE → 503 Service Unavailable (failed): Call-ID ${B_XCID}`]);
  });

  it('joins legs by a Call-ID suffix rule only when the rule is configured', () => {
    const text = fixture('b2bua-suffix-503.txt');
    const read = readTrace(text, { maxBytes: 1 << 20 });
    expect(triageMessages(kb, read.messages, [], { legs: DEFAULT_LEG_OPTIONS }).legs).toBeUndefined();
    const joined = triageMessages(kb, read.messages, [], { legs: { ...DEFAULT_LEG_OPTIONS, legRules: [{ kind: 'suffix', text: '-b2b' }] } });
    expect(joined.legs).toEqual([{ callIds: [A, B_SUFFIX], failedFirst: B_SUFFIX, verdict: VERDICT }]);
    // A prefix rule that does not match joins nothing.
    expect(triageMessages(kb, read.messages, [], { legs: { ...DEFAULT_LEG_OPTIONS, legRules: [{ kind: 'prefix', text: 'B2B.' }] } }).legs).toBeUndefined();
  });

  it('draws both legs on one ladder: four hosts, every message in trace order, the 503 and the 500 highlighted', () => {
    const report = createEngine(kb, { maxTraceBytes: 1 << 20, redact: open }).triage(fixture('b2bua-xcid-503.txt')).report;
    const ladder = buildLadder(report);
    expect(ladder.calls).toHaveLength(1);
    const [call] = ladder.calls;
    expect(call?.callId).toBe(`${A} + ${B_XCID}`);
    expect(call?.title).toBe(VERDICT);
    expect(call?.hosts.map((h) => h.address)).toEqual(['192.0.2.10:5060', '198.51.100.5:5060', '203.0.113.5:5060', '203.0.113.7:5060']);
    expect(call?.arrows.map((a) => a.message)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(call?.arrows.filter((a) => a.highlight === 'failure').map((a) => a.label)).toEqual(['503 Service Unavailable', '500 Server Internal Error']);
    // The B leg's INVITE goes from the SBC's outside address to the carrier.
    expect(call?.arrows[2]).toMatchObject({ from: 2, to: 3, label: 'INVITE (SDP)' });
    const svg = renderLadderSvg(ladder);
    expect(svg).toContain('203.0.113.7:5060');
    expect(svg).toContain('192.0.2.10:5060');
    expect(renderLadderText(ladder)).toContain('503 Service Unavailable');
    // Asking for one leg's ladder draws the call with both.
    expect(buildLadder(report, { callId: B_XCID }).calls[0]?.arrows).toHaveLength(8);
  });

  it('masks addresses in the verdict and Call-IDs on the ladder as redaction says', () => {
    const redact = { numbers: true, addresses: true };
    const report = createEngine(kb, { maxTraceBytes: 1 << 20, redact }).triage(fixture('b2bua-xcid-503.txt')).report;
    expect(report.legs?.[0]?.verdict).not.toContain('203.0.113.7');
    expect(report.legs?.[0]?.verdict).toMatch(/^The B leg got 503 Service Unavailable from the carrier \(/);
    const ladder = buildLadder(report, { redactor: new Redactor(redact) });
    expect(JSON.stringify(ladder)).not.toContain('203.0.113.7');
  });

  it('does not join calls that share no key, nor by a correlation value too short to tell calls apart', () => {
    const text = fixture('b2bua-xcid-503.txt');
    const apart = createEngine(kb).triage(text.replace(/^X-CID: .*$/m, 'X-Note: unrelated.'));
    expect(apart.report.legs).toBeUndefined();
    expect(buildLadder(apart.report).calls).toHaveLength(2);
    const short = createEngine(kb).triage(text.replace(/^X-CID: .*$/m, 'X-CID: 1.').replace(/^(CSeq: 102 INVITE\.)$/m, '$1\nX-CID: 1.'));
    expect(short.report.legs).toBeUndefined();
  });

  it('says the A leg failed first when the caller\'s leg ended before any other leg failed', () => {
    const report = createEngine(kb, { maxTraceBytes: 1 << 20, redact: open }).triage(fixture('b2bua-xcid-503.txt')).report;
    const [a, b] = [A, B_XCID].map((id) => report.calls.find((c) => c.call.callId === id)!);
    // The B leg alone (answered, say, elsewhere): only A failed.
    const onlyA = legVerdict(kb, [a!, { ...b!, call: { ...b!.call, outcome: 'answered' as const } }]);
    expect(onlyA.failedFirst).toBe(A);
    expect(onlyA.verdict).toMatch(/^The A leg failed first: it got 500 Server Internal Error from /);
  });
});
