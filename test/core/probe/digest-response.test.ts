import { describe, expect, it } from 'vitest';
import { chooseChallenge, digestAuthorization, type DigestChallenge } from '../../../src/core/probe/digest-response.js';

const response = (value: string): string => /response="([0-9a-f]+)"/.exec(value)?.[1] ?? '';

describe('digest answers (RFC 7616 §3.9.1 examples, as RFC 8760 applies them to SIP)', () => {
  const base = { header: 'WWW-Authenticate', realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', qop: 'auth', opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS' } as const;
  const who = { username: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', nc: 1 };

  it('MD5', () => {
    expect(response(digestAuthorization({ ...base, algorithm: 'MD5' } satisfies DigestChallenge, who))).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('SHA-256', () => {
    expect(response(digestAuthorization({ ...base, algorithm: 'SHA-256' } satisfies DigestChallenge, who))).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('carries qop, nc, cnonce and opaque back, never the password', () => {
    const v = digestAuthorization({ ...base, algorithm: 'SHA-256' }, who);
    expect(v).toContain('qop=auth, nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"');
    expect(v).toContain(`opaque="${base.opaque}"`);
    expect(v).not.toContain('Circle of Life');
  });
});

describe('which challenge a probe answers (RFC 8760 §2.4: the server\'s first that we support)', () => {
  it('takes SHA-256 when offered first, MD5 when it is all there is, and says what was offered otherwise', () => {
    const sha = chooseChallenge([
      { header: 'WWW-Authenticate', value: 'Digest realm="r", nonce="n1", algorithm=SHA-256, qop="auth"' },
      { header: 'WWW-Authenticate', value: 'Digest realm="r", nonce="n2", algorithm=MD5, qop="auth"' },
    ]);
    expect(sha).toMatchObject({ algorithm: 'SHA-256', nonce: 'n1' });
    expect(chooseChallenge([{ header: 'Proxy-Authenticate', value: 'Digest realm="r", nonce="n"' }])).toMatchObject({ header: 'Proxy-Authenticate', algorithm: 'MD5', qop: undefined });
    expect(chooseChallenge([{ header: 'WWW-Authenticate', value: 'Digest realm="r", nonce="n", algorithm=SHA-512-256' }])).toEqual({ unsupported: 'SHA-512-256' });
  });
});
