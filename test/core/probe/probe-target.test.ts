import { describe, expect, it } from 'vitest';
import { parseProbeRequest } from '../../../src/core/probe/probe-request.js';
import { formatTarget, parseProbeTarget } from '../../../src/core/probe/probe-target.js';

const DEFAULTS = { timeoutMs: 32_000 };

function problem(text: string): { code: string; message: string } {
  const r = parseProbeRequest(text, DEFAULTS);
  if (r.ok) throw new Error(`expected ${text} to be refused`);
  return r.problem;
}

describe('probe targets as people type them', () => {
  it.each([
    ['sip:pbx.example.com', { scheme: 'sip', host: 'pbx.example.com', hostKind: 'name', port: undefined, transport: undefined }],
    ['sips:sbc.example.com', { scheme: 'sips', host: 'sbc.example.com', port: undefined, transport: 'tls' }],
    ['sip:203.0.113.7:5080;transport=TCP', { host: '203.0.113.7', hostKind: 'ipv4', port: 5080, transport: 'tcp' }],
    ['pbx.example.com', { scheme: 'sip', host: 'pbx.example.com', port: undefined }],
    ['PBX.Example.com:5060', { host: 'pbx.example.com', port: 5060 }],
    ['[2001:db8::1]:5061', { host: '2001:db8::1', hostKind: 'ipv6', port: 5061 }],
    ['2001:db8::1', { host: '2001:db8::1', hostKind: 'ipv6', port: undefined }],
    ['<sip:alice:secret@pbx.example.com;transport=udp>', { host: 'pbx.example.com', user: 'alice', transport: 'udp' }],
    ['localhost:5060;transport=tls', { host: 'localhost', port: 5060, transport: 'tls' }],
  ])('%s', (text, expected) => {
    const r = parseProbeTarget(text);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it('never keeps a password from the URI', () => {
    const r = parseProbeTarget('sip:alice:hunter2@pbx.example.com');
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('writes the target back in one canonical form', () => {
    const r = parseProbeTarget('[2001:db8::1]:5061;transport=tcp');
    expect(r.ok && formatTarget(r.value)).toBe('sip:[2001:db8::1]:5061;transport=tcp');
  });
});

describe('bad targets get one clear sentence each', () => {
  it.each([
    ['sip:', 'probe-host-missing', /names no host/],
    ['sip:pbx.example.com;transport=carrier-pigeon', 'probe-transport-unknown', /"carrier-pigeon" is not a SIP transport: use udp, tcp or tls\./],
    [`sip:${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(56)}`, 'probe-host-too-long', /300 characters long; DNS names stop at 253/],
    [`${'x'.repeat(64)}.example.com`, 'probe-host-too-long', /63 between dots/],
    ['sip:pbx.example.com:99999', 'probe-port-invalid', /not a port/],
    ['tel:+15551234567', 'probe-scheme', /not a SIP URI scheme/],
    ['sips:sbc.example.com;transport=udp', 'probe-sips-transport', /only reached over TLS/],
    ['sip:300.1.2.3', 'probe-host-invalid', /not a valid IPv4 address/],
    ['sip:pbx_example!.com', 'probe-host-invalid', /not a host name/],
    ['[2001:db8::1', 'probe-host-invalid', /closing "\]"/],
    ['', 'probe-target-missing', /Say what to probe/],
    ['sip:a.example.com sip:b.example.com', 'probe-extra-words', /one target at a time/],
    ['sip:a.example.com --transport ws', 'probe-transport-unsupported', /WS is not supported/],
    ['sip:a.example.com --timeout 90s', 'probe-timeout-range', /between 1 and 32 seconds/],
    ['sip:a.example.com --timeout soon', 'probe-timeout-invalid', /not a timeout/],
    ['sip:a.example.com --method INVITE', 'probe-invite-not-dry', /INVITE-dry/],
    ['sip:a.example.com --method BYE', 'probe-method-unknown', /OPTIONS, REGISTER or INVITE-dry/],
    ['sip:a.example.com --flood', 'probe-flag-unknown', /not a probe option/],
    ['sip:a.example.com --transport', 'probe-flag-value', /needs a value/],
  ])('%s', (text, code, message) => {
    const p = problem(text);
    expect(p.code).toBe(code);
    expect(p.message).toMatch(message);
    // One sentence, short enough for a chat line, never echoing a wall of the input back.
    expect(p.message.length).toBeLessThan(200);
    expect(p.message.split(/\.\s/).length).toBeLessThanOrEqual(2);
  });
});

describe('probe options', () => {
  it('takes --transport over the URI, a timeout in seconds or ms, and the dry INVITE', () => {
    const r = parseProbeRequest('sip:pbx.example.com;transport=udp --transport tcp --timeout=2500ms --method invite-dry', DEFAULTS);
    expect(r.ok && r.value).toMatchObject({ transport: 'tcp', timeoutMs: 2500, method: 'INVITE' });
  });

  it('defaults to OPTIONS and the configured timeout', () => {
    const r = parseProbeRequest('pbx.example.com', { timeoutMs: 8000 });
    expect(r.ok && r.value).toMatchObject({ method: 'OPTIONS', timeoutMs: 8000, transport: undefined });
  });
});
