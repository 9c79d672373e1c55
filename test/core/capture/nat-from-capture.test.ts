import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/core/engine.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { ethernet, fixtureMessages, ipv4, LINK, pcapFile, udp } from './capture-builder.js';

/**
 * Set 02's real messages as a server in front of a NAT would capture them: the UA (192.168.1.20 in its own
 * headers) reaches the server from the router's public 203.0.113.45:34567. Content-Length is recomputed for
 * the rewritten SDP.
 */
function behindNat(m: Uint8Array): Uint8Array {
  const text = new TextDecoder()
    .decode(m)
    .replaceAll('127.0.0.1:5202', '192.168.1.20:5060')
    .replaceAll('127.0.0.1:5102', '198.51.100.20:5060')
    .replaceAll('IN IP4 127.0.0.1', 'IN IP4 192.168.1.20');
  const split = text.indexOf('\r\n\r\n');
  const body = text.slice(split + 4);
  return new TextEncoder().encode(text.slice(0, split).replace(/^Content-Length:.*$/m, `Content-Length: ${Buffer.byteLength(body)}`) + '\r\n\r\n' + body);
}

const messages = fixtureMessages('02-busy-486').map(behindNat);
const isRequest = (m: Uint8Array): boolean => !new TextDecoder().decode(m.subarray(0, 4)).startsWith('SIP/');
const capture = pcapFile(
  LINK.ETHERNET,
  messages.map((m, i) => ({
    time: 1_800_000_000 + i * 0.1,
    data: ethernet(isRequest(m) ? ipv4('203.0.113.45', '198.51.100.20', 17, udp(34567, 5060, m)) : ipv4('198.51.100.20', '203.0.113.45', 17, udp(5060, 34567, m))),
  })),
);

describe('the NAT rule with packet addresses from a capture', () => {
  const engine = createEngine(defaultKnowledge());

  it('compares the packet source with Via sent-by and Contact, and reports the NAT', () => {
    const answer = engine.triageBytes(capture, 'nat.pcap');
    expect(answer.report.problems).toEqual([]);
    const nat = answer.report.calls[0]?.findings.filter((f) => f.id === 'nat-private-address') ?? [];
    expect(nat.map((f) => f.title)).toEqual(['Private address behind a public one: NAT (private 192.168.1.20 seen as 203.0.113.45)']);
    expect(nat[0]?.detail).toContain('Via sent-by 192.168.1.20, Contact 192.168.1.20, SDP c= 192.168.1.20 but was seen from 203.0.113.45 (packet source)');
  });

  it('says nothing about NAT for the same messages pasted as text, without packet addresses', () => {
    const text = messages.map((m) => new TextDecoder().decode(m)).join('');
    const answer = engine.triage(text);
    expect(answer.report.calls[0]?.findings.some((f) => f.id === 'nat-private-address')).toBe(false);
  });

  it('says nothing about NAT when the capture was taken on the private side (source equals sent-by)', () => {
    const inside = pcapFile(
      LINK.ETHERNET,
      messages.map((m, i) => ({
        time: 1_800_000_000 + i * 0.1,
        data: ethernet(isRequest(m) ? ipv4('192.168.1.20', '198.51.100.20', 17, udp(5060, 5060, m)) : ipv4('198.51.100.20', '192.168.1.20', 17, udp(5060, 5060, m))),
      })),
    );
    const answer = engine.triageBytes(inside);
    expect(answer.report.calls[0]?.findings.some((f) => f.id === 'nat-private-address')).toBe(false);
  });
});
