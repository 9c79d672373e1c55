import { describe, expect, it } from 'vitest';
import { ids, scenarioFindings, type RtpRun, type Scenario, type SdpSide } from './media-scenario.js';

// Documentation addresses (RFC 5737) stand for public ones; 10.0.0.0/8 is private (RFC 1918).
const CALLER: SdpSide = { sip: '203.0.113.10', media: '203.0.113.10', port: 30000 };
const CALLEE: SdpSide = { sip: '198.51.100.20', media: '198.51.100.20', port: 40000 };
const MEDIA_IDS = ['one-way-audio', 'no-media', 'media-to-private-address', 'media-from-unexpected-source', 'payload-mismatch', 'srtp-mismatch', 'late-media', 'high-loss', 'high-jitter', 'low-mos'];

/** 10 s of audio each way from the answer at 1 s, BYE at 11.5 s. */
const toCallee = (o: Partial<RtpRun> = {}): RtpRun => ({ from: '203.0.113.10', fromPort: 30000, to: '198.51.100.20', toPort: 40000, startMs: 1050, count: 500, ssrc: 0xa1a1a1a1, ...o });
const toCaller = (o: Partial<RtpRun> = {}): RtpRun => ({ from: '198.51.100.20', fromPort: 40000, to: '203.0.113.10', toPort: 30000, startMs: 1060, count: 500, ssrc: 0xb2b2b2b2, ...o });
const call = (o: Partial<Scenario>): Scenario => ({ caller: CALLER, callee: CALLEE, answerAt: 1000, byeAt: 11500, rtp: [toCallee(), toCaller()], ...o });
const media = (sc: Scenario): string[] => ids(scenarioFindings(sc)).filter((id) => MEDIA_IDS.includes(id));
const finding = (sc: Scenario, id: string) => scenarioFindings(sc).find((f) => f.id === id);

describe('media findings on hand-built calls', () => {
  it('finds nothing wrong with clean two-way G.711 between the SDP addresses', () => {
    expect(media(call({}))).toEqual([]);
  });

  describe('one-way-audio', () => {
    it('names the silent direction and, with no NAT in sight, says the sender is not sending', () => {
      const f = finding(call({ rtp: [toCallee()] }), 'one-way-audio');
      expect(f?.severity).toBe('error');
      expect(f?.title).toBe('One-way audio: no RTP from the callee to the caller (the caller hears nothing)');
      expect(f?.detail).toContain("Nothing at all comes from the callee's media address 198.51.100.20:40000");
      expect(media(call({ rtp: [toCallee()] }))).not.toContain('no-media');
    });

    it('blames NAT when the silent side\'s peer put a private address in its SDP while signalling from a public one', () => {
      const natted: SdpSide = { sip: '198.51.100.20', media: '10.0.0.5', port: 40000 };
      // Captured behind the callee's NAT: its RTP leaves from the private address, nothing comes in.
      const f = finding(call({ callee: natted, rtp: [toCaller({ from: '10.0.0.5' })] }), 'one-way-audio');
      expect(f?.title).toBe('One-way audio: no RTP from the caller to the callee (the callee hears nothing)');
      expect(f?.detail).toContain("NAT: the callee's SDP asks for media at the private address 10.0.0.5");
    });

    it('says where the media went when the sender sends to an address the receiver never gave', () => {
      const f = finding(call({ rtp: [toCallee(), toCaller({ to: '203.0.113.99', toPort: 31000 })] }), 'one-way-audio');
      expect(f?.title).toContain('no RTP from the callee to the caller');
      expect(f?.detail).toContain('but to 203.0.113.99:31000, not to the address the caller\'s SDP gave (203.0.113.10:30000)');
    });

    it('is not reported on a call too short to tell (under 2 s answered)', () => {
      expect(media(call({ byeAt: 2500, rtp: [toCallee({ count: 50 })] }))).not.toContain('one-way-audio');
    });
  });

  describe('hold is respected', () => {
    it('does not call music on hold (sendonly answered recvonly) one-way audio', () => {
      const sc = call({ caller: { ...CALLER, direction: 'sendonly' }, callee: { ...CALLEE, direction: 'recvonly' }, rtp: [toCallee()] });
      expect(media(sc)).toEqual([]);
    });

    it('does not call an inactive call without RTP no-media', () => {
      const sc = call({ caller: { ...CALLER, direction: 'inactive' }, callee: { ...CALLEE, direction: 'inactive' }, rtp: [] });
      expect(media(sc)).toEqual([]);
    });

    it('still reports one-way audio in the direction hold left open when that one is silent', () => {
      const sc = call({ caller: { ...CALLER, direction: 'sendonly' }, callee: { ...CALLEE, direction: 'recvonly' }, rtp: [] });
      expect(media(sc)).toContain('no-media');
    });
  });

  it('no-media: answered, up for 10 s, no RTP either way; NAT named when an SDP was private', () => {
    const plain = finding(call({ rtp: [] }), 'no-media');
    expect(plain?.title).toBe('No media: the call was answered but no RTP flowed either way');
    expect(plain?.detail).toContain("between the caller's 203.0.113.10:30000 and the callee's 198.51.100.20:40000");
    const natted = finding(call({ caller: { ...CALLER, media: '192.168.1.7' }, rtp: [] }), 'no-media');
    expect(natted?.detail).toContain('The caller put the private address 192.168.1.7 in its SDP while signalling from 203.0.113.10');
  });

  it('media-to-private-address and media-from-unexpected-source: RTP sent to a NATed callee\'s private SDP address, its own RTP from its public one', () => {
    const natted: SdpSide = { sip: '198.51.100.20', media: '10.0.0.5', port: 40000 };
    const sc = call({ callee: natted, rtp: [toCallee({ to: '10.0.0.5' }), toCaller()] });
    const found = scenarioFindings(sc);
    expect(ids(found)).not.toContain('one-way-audio');
    expect(found.find((f) => f.id === 'media-to-private-address')?.title).toBe("RTP sent to the callee's private address 10.0.0.5 (its SIP came from 198.51.100.20)");
    expect(found.find((f) => f.id === 'media-from-unexpected-source')?.title).toBe("RTP to the caller comes from 198.51.100.20:40000, not the callee's SDP address (10.0.0.5:40000)");
  });

  it('media-from-unexpected-source alone when a relay sends for the callee from another public address', () => {
    const sc = call({ rtp: [toCallee(), toCaller({ from: '198.51.100.99', fromPort: 50000 })] });
    expect(media(sc)).toEqual(['media-from-unexpected-source']);
    expect(finding(sc, 'media-from-unexpected-source')?.title).toContain('comes from 198.51.100.99:50000');
  });

  it('payload-mismatch: PCMU sent to a callee that accepted only PCMA', () => {
    const sc = call({ caller: { ...CALLER, pts: [0, 8, 101] }, callee: { ...CALLEE, pts: [8, 101] }, rtp: [toCallee({ pt: 0 }), toCaller()] });
    const f = finding(sc, 'payload-mismatch');
    expect(f?.title).toBe('RTP to the callee uses payload type 0, which its SDP did not list');
    expect(f?.detail).toContain('offered or accepted only 8 PCMA, 101 TELEPHONE-EVENT');
    expect(media(sc)).toEqual(['payload-mismatch']);
  });

  describe('srtp-mismatch', () => {
    const savp = (s: SdpSide): SdpSide => ({ ...s, proto: 'RTP/SAVP' });

    it('SRTP agreed but every packet is exactly one G.711 frame: plain RTP', () => {
      const found = scenarioFindings(call({ caller: savp(CALLER), callee: savp(CALLEE) })).filter((f) => f.id === 'srtp-mismatch');
      expect(found.map((f) => f.title)).toEqual(['SRTP agreed (RTP/SAVP) but plain RTP sent to the caller', 'SRTP agreed (RTP/SAVP) but plain RTP sent to the callee']);
      expect(found[0]?.detail).toContain('499 of 499 packets are exactly one PCMA frame');
    });

    it('plain RTP agreed but each packet carries a 10-byte tag, as SRTP adds', () => {
      const sc = call({ rtp: [toCallee(), toCaller({ payloadBytes: 170 })] });
      expect(finding(sc, 'srtp-mismatch')?.title).toBe('Plain RTP agreed but SRTP sent to the caller');
    });

    it('nothing when SRTP is agreed and the packets carry the tag', () => {
      const sc = call({ caller: savp(CALLER), callee: savp(CALLEE), rtp: [toCallee({ payloadBytes: 170 }), toCaller({ payloadBytes: 164 })] });
      expect(media(sc)).toEqual([]);
    });
  });

  it('late-media: the callee\'s first RTP 3 s after the answer; the caller\'s prompt RTP is not flagged', () => {
    const sc = call({ rtp: [toCallee(), toCaller({ startMs: 4000, count: 350 })] });
    const late = scenarioFindings(sc).filter((f) => f.id === 'late-media');
    expect(late.map((f) => f.title)).toEqual(["Late media: the callee's first RTP came 3.0 s after the answer"]);
  });

  describe('quality', () => {
    it('high-loss: an error at 10 % lost, with the count as Wireshark gives it; nothing at 1 %', () => {
      const f = finding(call({ rtp: [toCallee({ drop: (i) => i % 10 === 5 }), toCaller()] }), 'high-loss');
      expect(f?.severity).toBe('error');
      expect(f?.title).toBe('10.0 % of RTP lost from 203.0.113.10:30000');
      expect(f?.detail).toContain('50 of 500 packets missing');
      expect(media(call({ rtp: [toCallee({ drop: (i) => i % 100 === 5 }), toCaller()] }))).not.toContain('high-loss');
    });

    it('high-jitter: every other packet 50 ms late; steady 20 ms spacing never is', () => {
      const f = finding(call({ rtp: [toCallee(), toCaller({ delayMs: (i) => (i % 2) * 50 })] }), 'high-jitter');
      expect(f?.title).toMatch(/^High jitter on RTP from 198\.51\.100\.20:40000: mean \d+\.\d ms, max \d+\.\d ms$/);
      expect(media(call({}))).not.toContain('high-jitter');
    });

    it('low-mos: 15 % loss takes G.711 below MOS 3.6 (E-model), an estimate with its inputs', () => {
      const f = finding(call({ rtp: [toCallee({ drop: (i) => i % 20 >= 5 && i % 20 < 8 }), toCaller()] }), 'low-mos');
      expect(f?.title).toMatch(/^Estimated MOS \d\.\d\d for audio from 203\.0\.113\.10:30000 \(E-model, R \d+(\.\d)?\)$/);
      expect(f?.detail).toContain('An estimate, not a measurement');
      expect(f?.detail).toContain('15 % loss');
    });

    it('does not judge quality on a stream too short to tell (under 50 packets)', () => {
      const sc = call({ rtp: [toCallee({ count: 40, drop: (i) => i % 4 === 0 }), toCaller()] });
      expect(media(sc)).not.toContain('high-loss');
      expect(media(sc)).not.toContain('low-mos');
    });
  });
});
