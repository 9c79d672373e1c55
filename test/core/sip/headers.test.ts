import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../src/core/sip/parse-message.js';

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;
const parse = (text: string) => {
  const r = parseSipMessage(text);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.message;
};

const response = parse(
  crlf([
    'SIP/2.0 503 Service Unavailable',
    'v: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-1;received=203.0.113.7;rport=40312',
    'Via: SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-2, SIP/2.0/WSS ws.example.com;branch=z9hG4bK-3',
    'f: "Alice, A." <sip:alice@example.com>;tag=a1',
    't: <sip:bob@example.net>;tag=b2',
    'i: abc@192.168.1.20',
    'CSeq: 7 INVITE',
    'Retry-After: 120 (maintenance);duration=3600',
    'Reason: Q.850;cause=34;text="No circuit/channel available", SIP;cause=503;text="Busy"',
    'Warning: 399 sbc.example.net "Trunk capacity exceeded", 305 gw.example.net "Incompatible media format"',
    'WWW-Authenticate: Digest realm="example.com", nonce="n0nce", algorithm=SHA-256, qop="auth", stale=TRUE',
    'Proxy-Authenticate: Digest realm="proxy.example.com", nonce="x"',
    'Server: FreeSWITCH-mod_sofia/1.10.9',
    'Allow: INVITE, ACK,',
    ' CANCEL, BYE',
    'k: timer, 100rel',
    'Unsupported: foo',
    'Min-SE: 1800',
    'Min-Expires: 3600',
    'x: 1800;refresher=uac',
    'l: 0',
    '',
  ]),
);

describe('structured header accessors', () => {
  it('reads every Via across lines and comma lists, with branch, received and rport', () => {
    expect(response.vias.map((v) => [v.transport, v.host, v.port, v.branch, v.received, v.rport])).toEqual([
      ['UDP', '192.168.1.20', 5060, 'z9hG4bK-1', '203.0.113.7', '40312'],
      ['TCP', '2001:db8::1', 5061, 'z9hG4bK-2', undefined, undefined],
      ['WSS', 'ws.example.com', undefined, 'z9hG4bK-3', undefined, undefined],
    ]);
  });

  it('reads From/To with quoted display names holding commas, and tags', () => {
    expect(response.from?.displayName).toBe('Alice, A.');
    expect(response.from?.uri?.user).toBe('alice');
    expect(response.fromTag).toBe('a1');
    expect(response.toTag).toBe('b2');
    expect(response.callId).toBe('abc@192.168.1.20');
    expect(response.cseq).toEqual({ seq: 7, method: 'INVITE' });
  });

  it('decodes Retry-After, Reason and Warning', () => {
    expect(response.retryAfter).toEqual({ seconds: 120, comment: 'maintenance', duration: 3600 });
    expect(response.reasons).toEqual([
      { protocol: 'Q.850', cause: 34, text: 'No circuit/channel available' },
      { protocol: 'SIP', cause: 503, text: 'Busy' },
    ]);
    expect(response.warnings).toEqual([
      { code: 399, agent: 'sbc.example.net', text: 'Trunk capacity exceeded' },
      { code: 305, agent: 'gw.example.net', text: 'Incompatible media format' },
    ]);
  });

  it('decodes auth challenges, including stale', () => {
    expect(response.challenges).toEqual([
      { header: 'WWW-Authenticate', challenge: { scheme: 'Digest', realm: 'example.com', nonce: 'n0nce', algorithm: 'SHA-256', qop: 'auth', stale: true, opaque: false } },
      { header: 'Proxy-Authenticate', challenge: { scheme: 'Digest', realm: 'proxy.example.com', nonce: 'x', algorithm: undefined, qop: undefined, stale: false, opaque: false } },
    ]);
  });

  it('never exposes the digest response of credentials', () => {
    const req = parse(
      crlf([
        'REGISTER sip:example.com SIP/2.0',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK-9',
        'From: <sip:a@example.com>;tag=1',
        'To: <sip:a@example.com>',
        'Call-ID: r',
        'CSeq: 2 REGISTER',
        'Authorization: Digest username="a", realm="example.com", uri="sip:example.com", response="deadbeef", nonce="n"',
        '',
      ]),
    );
    const creds = req.credentials[0]?.credentials;
    expect(creds).toMatchObject({ username: 'a', realm: 'example.com', uri: 'sip:example.com', hasResponse: true });
    expect(JSON.stringify(creds)).not.toContain('deadbeef');
  });

  it('reads option tags, timers and folded lists', () => {
    expect(response.product).toBe('FreeSWITCH-mod_sofia/1.10.9');
    expect(response.allow).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE']);
    expect(response.supported).toEqual(['timer', '100rel']);
    expect(response.unsupported).toEqual(['foo']);
    expect(response.minSE).toBe(1800);
    expect(response.minExpires).toBe(3600);
    expect(response.sessionExpires).toEqual({ seconds: 1800, refresher: 'uac' });
    expect(response.get('session-expires')).toBe('1800;refresher=uac');
  });

  it('reads SDP media, codecs, direction and crypto', () => {
    const invite = parse(
      crlf([
        'INVITE sip:b@example.net SIP/2.0',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK-9',
        'From: <sip:a@example.com>;tag=1',
        'To: <sip:b@example.net>',
        'Call-ID: s',
        'CSeq: 1 INVITE',
        'Content-Type: application/sdp',
        '',
        'v=0',
        'o=- 1 1 IN IP4 198.51.100.1',
        's=-',
        'c=IN IP4 198.51.100.1',
        't=0 0',
        'm=audio 4000 RTP/SAVP 0 101',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc',
        'a=sendonly',
        'm=video 0 RTP/AVP 99',
      ]),
    );
    const [audio, video] = invite.sdp?.media ?? [];
    expect(audio).toMatchObject({ type: 'audio', port: 4000, proto: 'RTP/SAVP', address: '198.51.100.1', direction: 'sendonly', crypto: true });
    expect(audio?.codecs).toEqual([
      { pt: 0, name: 'PCMU', rate: 8000, fmtp: undefined },
      { pt: 101, name: 'TELEPHONE-EVENT', rate: 8000, fmtp: '0-16' },
    ]);
    expect(video).toMatchObject({ type: 'video', port: 0 });
  });

  it('accepts LF line ends and trailing whitespace', () => {
    const m = parse('SIP/2.0 486 Busy Here  \nVia: SIP/2.0/UDP h;branch=z9hG4bK-1  \nFrom: <sip:a@x>;tag=1\nTo: <sip:b@y>;tag=2\nCall-ID: lf-1  \nCSeq: 1 INVITE\n\n');
    expect([m.status, m.reason, m.callId, m.cseq?.seq]).toEqual([486, 'Busy Here', 'lf-1', 1]);
  });

  it('frames a body by Content-Length in bytes, not characters', () => {
    const body = 'é€ok';
    const text = `MESSAGE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: u\r\nCSeq: 1 MESSAGE\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}NEXT`;
    const r = parseSipMessage(text);
    expect(r.ok && r.message.body).toBe(body);
    expect(text.slice(r.consumed)).toBe('NEXT');
  });

  it('points at the line of a malformed header and keeps the rest', () => {
    const r = parseSipMessage('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-1\r\nthis is not a header\r\nCall-ID: kept\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\n\r\n', { lineOffset: 10 });
    expect(r.ok && r.message.callId).toBe('kept');
    expect(r.problems).toEqual([{ code: 'header-syntax', message: 'not a header line: this is not a header', line: 13 }]);
  });
});
