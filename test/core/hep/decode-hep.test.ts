import { describe, expect, it } from 'vitest';
import { decodeHep } from '../../../src/core/hep/decode-hep.js';
import { encodeHep2, encodeHep3, parseIp } from '../../../src/core/hep/encode-hep.js';
import { formatIpv6 } from '../../../src/core/net/format-ip.js';
import { hepPackets } from './hep-fixtures.js';

const INVITE = 'INVITE sip:bob@example.net SIP/2.0\r\nCall-ID: a@b\r\n\r\n';
const fields = { src: { host: '192.0.2.10', port: 5060 }, dst: { host: '198.51.100.7', port: 5080 }, timeSec: 1_700_000_000, timeUsec: 123_456, payload: INVITE };

function problem(bytes: Uint8Array): string | undefined {
  const r = decodeHep(bytes);
  return r.ok ? undefined : r.problem.code;
}

describe('decodeHep', () => {
  it('reads every generic chunk of a HEPv3 packet', () => {
    const r = decodeHep(encodeHep3({ ...fields, ipProtocol: 6, captureId: 77, authKey: 'pw', correlationId: 'corr-1' }));
    expect(r).toMatchObject({
      ok: true,
      value: {
        version: 3,
        family: 'ipv4',
        ipProtocol: 6,
        transport: 'TCP',
        src: { host: '192.0.2.10', port: 5060 },
        dst: { host: '198.51.100.7', port: 5080 },
        timeSec: 1_700_000_000,
        timeUsec: 123_456,
        protocolType: 1,
        captureId: 77,
        authKey: 'pw',
        correlationId: 'corr-1',
        compressed: false,
      },
    });
    expect(r.ok && Buffer.from(r.value.payload).toString()).toBe(INVITE);
  });

  it('skips vendor chunks, even ones reusing a generic type number', () => {
    const vendor = { vendor: 0x0022, type: 0x000f, data: new TextEncoder().encode('not the payload') };
    const r = decodeHep(encodeHep3({ ...fields, extraChunks: [vendor] }));
    expect(r.ok && Buffer.from(r.value.payload).toString()).toBe(INVITE);
  });

  it('marks a compressed payload (chunk 0x0010) without inflating it', () => {
    const r = decodeHep(encodeHep3({ ...fields, compressed: true, payload: Uint8Array.of(0x1f, 0x8b, 8) }));
    expect(r).toMatchObject({ ok: true, value: { compressed: true } });
  });

  it('reads IPv6 addresses in RFC 5952 form', () => {
    const r = decodeHep(encodeHep3({ ...fields, src: { host: '2001:db8::1', port: 5060 }, dst: { host: '2001:db8:0:0:1::2', port: 5060 } }));
    expect(r).toMatchObject({ ok: true, value: { family: 'ipv6', src: { host: '2001:db8::1' }, dst: { host: '2001:db8::1:0:0:2' } } });
    expect(formatIpv6(parseIp('::ffff:192.0.2.1'))).toBe('::ffff:192.0.2.1');
    expect(formatIpv6(parseIp('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(parseIp('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1');
    expect(formatIpv6(new Uint8Array(16))).toBe('::');
  });

  it('refuses truncated and inconsistent packets with a stable code', () => {
    const good = encodeHep3(fields);
    expect(problem(good.subarray(0, 3))).toBe('hep-truncated');
    expect(problem(good.subarray(0, good.length - 1))).toBe('hep-truncated');
    expect(problem(Uint8Array.from([...good, 0]))).toBe('hep-length');
    const zeroChunk = Uint8Array.from(good);
    zeroChunk[6 + 4] = 0;
    zeroChunk[6 + 5] = 2; // first chunk claims 2 bytes, under its own 6-byte header
    expect(problem(zeroChunk)).toBe('hep-chunk-length');
    const wideFamily = encodeHep3({ ...fields, extraChunks: [{ vendor: 0, type: 0x0007, data: Uint8Array.of(1, 2, 3) }] });
    expect(problem(wideFamily)).toBe('hep-chunk-size');
    expect(problem(Uint8Array.from([0x48, 0x45, 0x50, 0x33, 0, 6]))).toBe('hep-no-payload');
    expect(problem(new TextEncoder().encode('INVITE sip:x SIP/2.0'))).toBe('hep-version');
  });

  it('reads HEPv2 with the padded time header Kamailio sends, and a packed one', () => {
    const padded = encodeHep2({ ...fields, captureId: 9 });
    expect(decodeHep(padded)).toMatchObject({ ok: true, value: { version: 2, captureId: 9, timeSec: 1_700_000_000, timeUsec: 123_456 } });
    const packed = Uint8Array.from([...padded.subarray(0, 26), ...padded.subarray(28)]);
    const r = decodeHep(packed);
    expect(r.ok && Buffer.from(r.value.payload).toString()).toBe(INVITE);
  });

  it('refuses HEPv2 with an unknown family or a header length that does not fit it', () => {
    const bad = Uint8Array.from(encodeHep2(fields));
    bad[2] = 7;
    expect(problem(bad)).toBe('hep-family');
    const len = Uint8Array.from(encodeHep2(fields));
    len[1] = 40;
    expect(problem(len)).toBe('hep-length');
    expect(problem(encodeHep2(fields).subarray(0, 20))).toBe('hep-truncated');
  });

  it('round-trips a real Kamailio packet through the encoder', () => {
    const real = hepPackets('hep3-ipv4-auth')[0];
    const r = decodeHep(real ?? new Uint8Array());
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.src === undefined || r.value.dst === undefined) return;
    const p = r.value;
    const again = encodeHep3({
      src: p.src!,
      dst: p.dst!,
      ipProtocol: p.ipProtocol ?? 17,
      timeSec: p.timeSec ?? 0,
      timeUsec: p.timeUsec ?? 0,
      captureId: p.captureId ?? 0,
      authKey: p.authKey ?? '',
      payload: p.payload,
    });
    expect(Buffer.from(again).equals(Buffer.from(real ?? []))).toBe(true);
  });
});
