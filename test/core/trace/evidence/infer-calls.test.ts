import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../../src/core/engine.js';
import { loadKnowledge } from '../../../../src/knowledge/load-knowledge.js';

const engine = createEngine(loadKnowledge());
const calls = (text: string) =>
  engine.triage(text).report.calls.map(({ call }) => ({
    callId: call.callId,
    outcome: call.outcome,
    code: call.final?.message.status,
    inferred: call.final?.message.meta.inferred?.basis,
  }));

const invite = (callId: string, seq = 1) =>
  [
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds',
    'From: <sip:alice@example.com>;tag=1928301774',
    'To: <sip:bob@example.com>',
    `Call-ID: ${callId}`,
    `CSeq: ${seq} INVITE`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('failures a paste states but does not print', () => {
  it('puts a status line the window cut before its Call-ID on the one call in view, marked inferred', () => {
    const text = `${invite('a84b4c76e66710@pc33')}SIP/2.0 486 Busy Here\r\n`;
    expect(calls(text)).toEqual([{ callId: 'a84b4c76e66710@pc33', outcome: 'failed', code: 486, inferred: 'the only call in view' }]);
  });

  it('does not guess when two calls could own the orphan response', () => {
    const text = `${invite('one@pc33')}${invite('two@pc33')}SIP/2.0 486 Busy Here\r\n`;
    const out = calls(text);
    expect(out.filter((c) => c.callId === 'one@pc33' || c.callId === 'two@pc33').every((c) => c.outcome === 'no-final')).toBe(true);
    expect(out.find((c) => c.code === 486)?.callId).not.toMatch(/pc33/);
  });

  it('completes a Call-ID the end of the paste cut off from the one Call-ID it begins', () => {
    const text = `${invite('6b86b273ff34@0.0.0.0:5060')}SIP/2.0 403 Forbidden\r\nCSeq: 1 INVITE\r\nCall-ID: 6b86b273ff34@0.0.`;
    expect(calls(text)).toEqual([
      { callId: '6b86b273ff34@0.0.0.0:5060', outcome: 'failed', code: 403, inferred: 'its Call-ID, cut off by the end of the paste' },
    ]);
    // Two Call-IDs begin with the cut one: no guess.
    const two = `${invite('6b86b273ff34@0.0.0.0:5060')}${invite('6b86b273ff34@0.0.0.1:5060')}SIP/2.0 403 Forbidden\r\nCSeq: 1 INVITE\r\nCall-ID: 6b86b273ff34@0.0.`;
    expect(calls(two).find((c) => c.code === 403)?.callId).toBe('6b86b273ff34@0.0.');
  });

  it('attaches a log line to the call whose CSeq it names', () => {
    const text = `${invite('one@pc33', 7)}${invite('two@pc33', 5853)}PJSIP(5): sip_endpoint.c  Processing incoming message: Response msg 403/INVITE/cseq=5853 (rdata0x7f87ef0fd140)\n`;
    expect(calls(text).find((c) => c.callId === 'two@pc33')).toEqual({ callId: 'two@pc33', outcome: 'failed', code: 403, inferred: 'its CSeq number' });
  });

  it('reads a 401 the log says the call ended on as a failure, not a pending challenge', () => {
    expect(calls('pjsua_app.c  .....Call 0 is DISCONNECTED [reason=401 (Unauthorized)]\n')).toEqual([
      { callId: 'log line 1', outcome: 'failed', code: 401, inferred: 'no call in view' },
    ]);
    expect(calls('pjsua_acc.c  registration got 401 (Unauthorized), sending credentials\n')[0]?.outcome).toBe('challenged');
  });

  it('leaves a clean answered call alone when the log around it shows no failure', () => {
    const text = `${invite('a84b4c76e66710@pc33')}SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\nCall-ID: a84b4c76e66710@pc33\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
    expect(calls(`[10:45:50 DBG] sent 612 bytes\n${text}`)).toEqual([{ callId: 'a84b4c76e66710@pc33', outcome: 'answered', code: 200, inferred: undefined }]);
  });
});
