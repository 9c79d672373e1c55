import { describe, expect, it } from 'vitest';
import { maskNumbers, redactAuthValue, Redactor } from '../../src/core/redact.js';

describe('redaction', () => {
  it('always removes digest responses and cnonces, and shortens nonces', () => {
    expect(redactAuthValue('Digest username="bob", response="0123456789abcdef", cnonce="xyz", nonce="abcdefghijklmnop"')).toBe(
      'Digest username="bob", response="[redacted]", cnonce="[redacted]", nonce="abcdefgh…"',
    );
    expect(redactAuthValue('Digest nonce=abcdefghijk, response=ffff')).toBe('Digest nonce=abcdefgh…, response="[redacted]"');
  });

  it('removes tokens and passwords from URIs whatever else is configured', () => {
    const r = new Redactor();
    expect(r.header('Contact', '<sip:alice@10.0.0.1;pn-prid=SECRETDEVICETOKEN;transport=tls>')).toBe('<sip:alice@10.0.0.1;pn-prid=[redacted];transport=tls>');
    expect(r.startLine('INVITE sip:alice:hunter2@example.com SIP/2.0')).toBe('INVITE sip:alice:[redacted]@example.com SIP/2.0');
    expect(r.header('Refer-To', '<https://x.example/api?token=abc123&x=1>')).toBe('<https://x.example/api?token=[redacted]&x=1>');
  });

  it('masks phone numbers only when asked, keeping the last two digits', () => {
    expect(new Redactor().header('From', '<sip:+15555550123@example.com>;tag=1')).toBe('<sip:+15555550123@example.com>;tag=1');
    const r = new Redactor({ numbers: true, addresses: false });
    expect(r.header('From', '<sip:+15555550123@example.com>;tag=1')).toBe('<sip:+•••••••••23@example.com>;tag=1');
    expect(r.header('Via', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK123456789')).toBe('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK123456789');
    expect(maskNumbers('tel:+44-20-7946-0958')).toBe('tel:+••••••••••58');
  });

  it('masks numbers, not the digits inside dialog tags and other tokens', () => {
    const r = new Redactor({ numbers: true, addresses: false });
    // A real baresip To-tag (test/fixtures/wild) and an all-digit SIPp-style tag: they identify the dialog.
    expect(r.header('To', '<sip:+15555550486@example.net>;tag=7c1eb30236e8-19682-a122308')).toBe('<sip:+•••••••••86@example.net>;tag=7c1eb30236e8-19682-a122308');
    expect(r.header('From', '"4930123456" <sip:004930123456@example.net>;tag=1928301774')).toBe('"••••••••56" <sip:••••••••••56@example.net>;tag=1928301774');
    expect(r.header('Contact', '<sip:alice4930123456@198.51.100.7>')).toBe('<sip:alice4930123456@198.51.100.7>');
  });

  it('replaces addresses with stable pseudonyms that keep their scope', () => {
    const r = new Redactor({ numbers: false, addresses: true });
    const text = r.text('Via: SIP/2.0/UDP 192.168.1.20:5060;received=203.0.113.7\nContact: <sip:a@192.168.1.20>\nc=IN IP4 203.0.113.7\nm=audio 4000 RTP/AVP 0');
    expect(text).toBe('Via: SIP/2.0/UDP private-1:5060;received=public-1\nContact: <sip:a@private-1>\nc=IN IP4 public-1\nm=audio 4000 RTP/AVP 0');
    expect(r.address('[2001:db8::7]:5060')).toBe('public-2:5060');
  });
});
