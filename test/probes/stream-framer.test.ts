import { describe, expect, it } from 'vitest';
import { parseCredentials } from '../../src/probes/probe-files.js';
import { StreamFramer } from '../../src/probes/stream-framer.js';

const answer = (body = ''): string => `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKx\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('framing answers on TCP and TLS (RFC 3261 §18.3)', () => {
  it('splits back-to-back messages by Content-Length, across chunk boundaries, skipping CRLF keep-alives', () => {
    const f = new StreamFramer(65_536);
    const text = `\r\n\r\n${answer('v=0\r\n')}${answer()}`;
    const a = f.push(Buffer.from(text.slice(0, 30)));
    const b = f.push(Buffer.from(text.slice(30)));
    expect([...a.messages, ...b.messages]).toEqual([answer('v=0\r\n'), answer()]);
    expect(b.junk).toBeUndefined();
  });

  it('stops at the limit when a server never ends its headers', () => {
    const f = new StreamFramer(1024);
    const r = f.push(Buffer.from(`SIP/2.0 200 OK\r\n${'X-Pad: y\r\n'.repeat(200)}`));
    expect(r.junk?.message).toBe('the server sent 2 KiB without finishing a SIP message; a probe reads at most 1 KiB');
  });

  it('refuses an announced body over the limit before waiting for it', () => {
    const r = new StreamFramer(1024).push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 10485760\r\n\r\n'));
    expect(r.junk?.message).toMatch(/announced a 10\.0 MiB answer, over the 1 KiB a probe reads/);
  });
});

describe('REGISTER credentials from configuration', () => {
  it('reads host=username:password entries and a file of lines, the password keeping its spaces and colons', () => {
    const env = parseCredentials('pbx.example.com=alice:s3cr:et, sbc.example.net=bob@example.net:pw', 'env');
    expect(env.ok && [...env.value]).toEqual([
      ['pbx.example.com', { username: 'alice', password: 's3cr:et' }],
      ['sbc.example.net', { username: 'bob', password: 'pw', domain: 'example.net' }],
    ]);
    const file = parseCredentials('# probes\nPBX.example.com alice correct horse, battery\n', 'file');
    expect(file.ok && file.value.get('pbx.example.com')).toEqual({ username: 'alice', password: 'correct horse, battery' });
  });

  it('names the bad entry, never its password', () => {
    const r = parseCredentials('pbx.example.com=alice', 'env');
    expect(!r.ok && r.problem.message).toBe('entry 1 is not host=username:password');
  });
});
