import { describe, expect, it } from 'vitest';
import { scanEvidence } from '../../../../src/core/trace/evidence/log-evidence.js';
import type { ReasonPhrases } from '../../../../src/core/trace/evidence/reason-phrases.js';
import { loadKnowledge } from '../../../../src/knowledge/load-knowledge.js';

const kb = loadKnowledge();
const phrases: ReasonPhrases = { reasonOf: (c) => kb.code(c)?.reason, codeOf: (p) => kb.phrase(p)?.code };
const read = (line: string) => scanEvidence([line], () => false, phrases).evidence.map((e) => ({ code: e.code, method: e.method, callId: e.callId }));

// Lines as printed in public threads (test/fixtures/wild/manifest.json cites each source).
describe('failing codes that log lines state without printing the message', () => {
  it('reads stacks that print the code after a keyword', () => {
    expect(read('    -- Got SIP response 503 "Service Unavailable" back from 64.2.142.93:5060')).toEqual([{ code: 503, method: undefined, callId: undefined }]);
    expect(read('18:28:35.600    pjsua_acc.c  ....SIP registration failed, status=403 (Device not whitelisted)')).toEqual([
      { code: 403, method: 'REGISTER', callId: undefined },
    ]);
    expect(read('85(3884) ERROR: <script>: request sent to sip:001@192.168.101.2:6700 completed with code: 408, Type 2')[0]?.code).toBe(408);
    expect(read('call failed with cause: Code: [488], Cause: Bad Media Description, Reason: Not Acceptable Here')[0]?.code).toBe(488);
    expect(read('{"sip":"event","result":{"event":"hangup","code":486,"reason":"Busy Here"}}')[0]?.code).toBe(486);
  });

  it('takes the method and Call-ID the line names', () => {
    expect(read('PJSIP(5): sip_endpoint.c  Processing incoming message: Response msg 403/INVITE/cseq=5853 (rdata0x7f87ef0fd140)')).toEqual([
      { code: 403, method: 'INVITE', callId: undefined },
    ]);
    expect(read("Aborting call on unexpected message for Call-Id '1-3332@172.31.0.23': while expecting '180' (index 2), received 'SIP/2.0 407 Proxy Authentication Required")).toEqual([
      { code: 407, method: undefined, callId: '1-3332@172.31.0.23' },
    ]);
  });

  it('accepts a bare code only next to its own reason phrase', () => {
    expect(read('sip:1001@192.168.115.164: session closed: 488 Not Acceptable here')[0]?.code).toBe(488);
    expect(read('La telefonia via Internet è fallita. Causa: Not Acceptable Here (488)')[0]?.code).toBe(488);
    expect(read('I got an 404 Bad Request')).toEqual([{ code: 404, method: undefined, callId: undefined }]);
    expect(read('room 404 Bad Request')).toEqual([]);
  });

  it('reads prose that says who answered or sent the code, with or without an article', () => {
    expect(read('In case if REGISTRAR answer 404 on first REGISTER kamailio just ignore it')).toEqual([{ code: 404, method: 'REGISTER', callId: undefined }]);
    expect(read('3. Sip Server sends 480, webrtc2sip doesnot send ACK, Sip Server keeps')[0]?.code).toBe(480);
    expect(read('Eventually the B2BUA will send a 408 to the client for the call.')[0]?.code).toBe(408);
  });

  it('reads hand-typed ladders and quoted statuses in any language', () => {
    expect(read('480 <-')).toEqual([{ code: 480, method: undefined, callId: undefined }]);
    expect(read('<-- 486 Busy Here')[0]?.code).toBe(486);
    expect(read('INVITE ->')).toEqual([]);
    expect(read('100 <-')).toEqual([]);
    expect(read('"403 Contact User und Anrufernummer verschieden"')[0]?.code).toBe(403);
  });

  it('reads a failure stated only by its reason phrase, in a title or a UI message', () => {
    expect(read('# Linphone Compatibility Registration error - Forbidden')).toEqual([{ code: 403, method: 'REGISTER', callId: undefined }]);
    expect(read('# call has been declined')[0]?.code).toBe(603);
    // SIP.js's own cause names are not SIP reason phrases (its "Rejected" is not 608).
    expect(read('index.js:110 UA RegistrationFailed [IncomingResponse, "Rejected"]')).toEqual([]);
    expect(read('the request was successful')).toEqual([]);
  });

  it('does not read sizes, durations, Q.850 causes or port numbers as status codes', () => {
    expect(read('2022-05-02 18:07:03:632 [org.linphone/belle-sip] MESSAGE channel [0x79c9c9d040] [478] bytes parsed')).toEqual([]);
    expect(read('<--- Received SIP response (484 bytes) from UDP:127.0.0.1:5105 --->')).toEqual([]);
    expect(read('send 665 bytes to udp/[127.0.0.1]:5201 at 10:29:20.547974:')).toEqual([]);
    expect(read('Hangup sofia/internal/1000 [CS_EXECUTE] [NORMAL_CLEARING] cause=16')).toEqual([]);
    expect(read('retrying after 500 ms')).toEqual([]);
    expect(read('Contact: <sip:alice@10.0.0.1:5060>;expires=600')).toEqual([]);
  });

  it('reads Timer B and Timer F firing as the local 408 of RFC 3261 §17.1', () => {
    expect(read('SIP.js | Timer B expired for INVITE client transaction z9hG4bK123')).toEqual([{ code: 408, method: 'INVITE', callId: undefined }]);
    expect(read('Timer B started')).toEqual([]);
  });
});
