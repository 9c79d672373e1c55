import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/core/redact.js';
import { redactedSipText } from '../../../src/core/share/redacted-sip-text.js';

const SDP = ['v=0', 'o=alice 2890844527 2890844527 IN IP6 ::1', 's=-', 'c=IN IP6 ::1', 't=0 0', 'm=audio 6008 RTP/AVP 0', ''].join('\r\n');
const invite = (body: string, length: number, header = 'Content-Length'): string =>
  ['INVITE sip:+15555550486@[::1]:5361 SIP/2.0', 'Via: SIP/2.0/UDP [::1]:5365;branch=z9hG4bK-1', 'Call-ID: 1@uac.example.com', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', `${header}: ${length}`, '', body].join('\r\n');
const masked = (): Redactor => new Redactor({ numbers: true, addresses: true });
const bodyOf = (text: string): string => text.slice(text.indexOf('\r\n\r\n') + 4);

describe('redactedSipText', () => {
  it('moves Content-Length by what masking the addresses added to the body', () => {
    const out = redactedSipText(invite(SDP, Buffer.byteLength(SDP)), masked());
    expect(bodyOf(out)).toContain('c=IN IP6 private-1\r\n');
    expect(out).toContain(`Content-Length: ${Buffer.byteLength(bodyOf(out))}\r\n`);
    expect(out).toContain('INVITE sip:+•••••••••86@private-1:5361 SIP/2.0\r\n');
  });

  it('moves the compact form too, and leaves the length alone when masking is off', () => {
    const compact = redactedSipText(invite(SDP, Buffer.byteLength(SDP), 'l'), masked());
    expect(compact).toContain(`l: ${Buffer.byteLength(bodyOf(compact))}\r\n`);
    const open = redactedSipText(invite(SDP, Buffer.byteLength(SDP)), new Redactor({ numbers: false, addresses: false }));
    expect(open).toBe(invite(SDP, Buffer.byteLength(SDP)));
  });

  it('writes CRLF where a paste lost it, without counting that as a change of length', () => {
    const lf = invite(SDP, Buffer.byteLength(SDP)).replace(/\r\n/g, '\n');
    expect(redactedSipText(lf, new Redactor({ numbers: false, addresses: false }))).toBe(invite(SDP, Buffer.byteLength(SDP)));
  });

  it('keeps a length that was already wrong (a body cut off in the paste) as wrong as it was', () => {
    const cut = SDP.slice(0, 40);
    const out = redactedSipText(invite(cut, Buffer.byteLength(SDP)), masked());
    expect(Number(/Content-Length: (\d+)/.exec(out)?.[1]) - Buffer.byteLength(bodyOf(out))).toBe(Buffer.byteLength(SDP) - Buffer.byteLength(cut));
  });
});
