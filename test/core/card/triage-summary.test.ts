import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeAnswer } from '../../../src/core/card/code-answer.js';
import { detailCards } from '../../../src/core/card/detail-cards.js';
import { createEngine } from '../../../src/core/engine.js';
import { scanCauses } from '../../../src/core/trace/evidence/log-causes.js';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { bigTrace } from '../../adapters/discord/big-trace.js';

// Real pasted traces (test/fixtures/wild/manifest.json gives each one's public source).
const wild = (f: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/wild', f), 'utf8');
const kb = loadKnowledge();
const engine = createEngine(kb);

describe('a triage summary ranked by what matters', () => {
  it('reads a pasted Asterisk 503 and the 603 it answered the caller as one call through a B2BUA, 503 first', () => {
    // community.asterisk.org/t/…/96093: the gateway's 503 on Asterisk's B leg, Asterisk's 603 to the caller.
    const answer = engine.triage(wild('which-call/asterisk-forum-96093-b2bua-503-becomes-603.txt'));
    expect(answer.report.calls).toHaveLength(2);
    expect(answer.summary.title).toBe('SIP trace: 1 call, 1 failed');
    expect(answer.summary.summary).toMatch(/^503 Service Unavailable from 2N SG 1\.31\.1\.34\.1 \(passed on as 603 Decline to the caller by Asterisk PBX 18\.6\.0\)/);
    expect(answer.summary.tone).toBe('danger');
    // The Q.850 finding both legs carry is shown once, not once per leg.
    expect(answer.summary.findings?.map((f) => f.title)).toEqual(['Q.850 cause 41: Temporary failure']);
    expect(answer.summary.footer).toBe('2 messages read as raw; 1 B2BUA leg counted with the call it passed on.');
    expect(answer.summary.actions).toEqual([{ label: 'What 503 means', query: '503' }]);
  });

  it('says what to do now about the worst failure, as /sip CODE says it first, and nothing when every call was answered', () => {
    // The same Asterisk paste: the gateway's 503 is the worst failure, so its first check and first fix.
    const answer = engine.triage(wild('which-call/asterisk-forum-96093-b2bua-503-becomes-603.txt'));
    const entry = kb.code(503);
    if (entry === undefined) throw new Error('503 is in the knowledge base');
    const doNow = answer.summary.sections.find((s) => s.title.startsWith('Do now'));
    expect(doNow).toEqual({ title: 'Do now (503 Service Unavailable)', items: codeAnswer(kb, entry).doNow.slice(0, 2), ordered: true });
    expect(doNow?.items[0]).toMatch(/^Check: /);
    expect(doNow?.items[1]).toMatch(/^Fix: /);
    // Right after what failed: above the other calls and the parser's account.
    const titles = answer.summary.sections.map((s) => s.title);
    expect(titles.indexOf('Do now (503 Service Unavailable)')).toBe(titles.findIndex((t) => t.startsWith('Failed')) + 1);
    const answered = engine.triage(readFileSync(join(import.meta.dirname, '../../fixtures/traces/raw/01-success-200.sip'), 'utf8'));
    expect(answered.summary.sections.map((s) => s.title).filter((t) => t.startsWith('Do now'))).toEqual([]);
  });

  it('makes the dial status an Asterisk log states a finding, and puts it on the verdict line', () => {
    // github.com/futel/asteriskserver/issues/39: "… is circuit-busy", then status 'CONGESTION'.
    const answer = engine.triage(wild('wrapped/futel-39-chansip-503-wrapped-80.txt'));
    expect(answer.summary.summary).toBe('503 Service Unavailable · Asterisk dial status CONGESTION: congestion on the route');
    const finding = answer.summary.findings?.find((f) => f.title.startsWith('Asterisk dial status'));
    expect(finding?.evidence[0]).toMatch(/^line 8: .*is circuit-busy$/);
    // The call card carries it too, with the code card linked rather than repeated.
    const [card] = answer.calls;
    expect(card?.findings?.map((f) => f.title)).toContain('Asterisk dial status CONGESTION: congestion on the route');
    expect(card?.actions).toEqual([{ label: 'What 503 means', query: '503' }]);
    expect(card?.sections.map((s) => s.title)).toEqual([]);
  });

  it('gives a FreeSWITCH hangup cause its Q.850 meaning', () => {
    // github.com/inextrix/ASTPP/issues/281: Hangup … [NORMAL_TEMPORARY_FAILURE].
    const answer = engine.triage(wild('log-only/astpp-281-sofia-terminated-503-uuid-prefix.txt'));
    const finding = answer.summary.findings?.[0];
    expect(finding?.title).toBe('FreeSWITCH hangup cause NORMAL_TEMPORARY_FAILURE: Q.850 41 Temporary failure');
    expect(finding?.detail).toContain('RFC 3398 maps it to SIP 503 Service Unavailable.');
    expect(answer.summary.summary).toContain('NORMAL_TEMPORARY_FAILURE');
  });

  it('reads the causes Asterisk states in its own words: a Q.850 number and the Dial() status', () => {
    // The line shapes app_dial.c and pbx.c print (no paste in the corpus has both with a SIP message).
    const lines = [
      "[Apr 27 12:17:03] WARNING[8538][C-00000439]: app_dial.c:2643 dial_exec_full: Unable to create channel of type 'PJSIP' (cause 20 - Subscriber absent)",
      "    -- Auto fallthrough, channel 'PJSIP/100-00000001' status is 'CHANUNAVAIL'",
      "    -- Auto fallthrough, channel 'PJSIP/100-00000001' status is 'CHANUNAVAIL'",
      '[Dec 13 20:53:40] DEBUG[814][C-00000002]: chan_pjsip.c:2540 chan_pjsip_hangup:  Cause: 488',
    ];
    expect(scanCauses(lines, () => false).map((c) => [c.line, c.kind, c.value])).toEqual([
      [1, 'q850', '20'],
      [2, 'dial-status', 'CHANUNAVAIL'],
    ]);
  });

  it('groups repeated failures with a count, server-side first, and folds the calls that did not fail', () => {
    // Three copies of every SIPp-made fixture call: each failure is one line with a count, not three.
    const answer = engine.triage(copies(3));
    const failed = answer.summary.sections.find((s) => s.title.startsWith('Failed'));
    expect(failed?.title).toBe('Failed (36 of 60 calls)');
    expect(failed?.items[0]).toBe('3 calls: 503 Service Unavailable from Kamailio (5.6.3 (x86_64/linux)) · Retry-After 120 (2 min) on 503');
    expect(failed?.items).toContain('6 calls: 486 Busy Here from SIPp/3.6.1 (siptriage fixture UAS) · Q.850 cause 17: User busy');
    const at = (text: string): number => failed?.items.findIndex((i) => i.includes(text)) ?? -1;
    expect(at('503 Service Unavailable')).toBeLessThan(at('no final response'));
    expect(at('no final response')).toBeLessThan(at('486 Busy Here'));
    expect(answer.summary.sections.find((s) => s.title === 'Other calls')?.items).toEqual(['21 answered, 3 cancelled by the caller']);
    // The verdict is the worst failure, not parser detail, and the header's colour is a 5xx's.
    expect(answer.summary.summary).toMatch(/^3 calls: 503 Service Unavailable from Kamailio .* · and 33 more failed calls below$/);
    expect(answer.summary.tone).toBe('danger');
    expect(answer.summary.footer).toBe('381 messages (54 retransmitted) read as raw.');
    // A finding repeated once per call is shown once with its count.
    const titles = answer.summary.findings?.map((f) => f.title) ?? [];
    expect(titles).toContain('483 Too Many Hops: Max-Forwards reached 0 (3 calls)');
    expect(new Set(titles).size).toBe(titles.length);
    // Identical calls are one card marked ×3; the first cards are the worst failures.
    expect(answer.calls.every((c) => c.title.endsWith(' ×3'))).toBe(true);
    expect(answer.calls[0]?.title).toBe('INVITE → 503 Service Unavailable (failed) ×3');
    expect(answer.calls[0]?.fields.find((f) => f.label === 'Call-IDs (3)')).toBeDefined();
    const { shown, more } = detailCards(answer.calls);
    expect(shown).toHaveLength(3);
    expect(more).toBe(answer.calls.length - 3);
  });
});

// bigTrace(1) is one copy of every fixture call, its Call-IDs and tags marked 0; copy i marks them i.
function copies(n: number): string {
  const one = bigTrace(1);
  return Array.from({ length: n }, (_, i) => one.replace(/-0@uac\.example\.com/g, `-${i}@uac.example.com`).replace(/x0\b/g, `x${i}`)).join('\n');
}
