import { describe, expect, it } from 'vitest';
import { MediaAnalyzer } from '../../../src/core/media/media-analyzer.js';
import type { RtpStreamReport } from '../../../src/core/media/media-report.js';
import { rtp, type RtpFields } from './rtp-builder.js';

interface Sent extends RtpFields {
  at: number;
}

/** Feeds hand-made packets of one flow (without SDP: the heuristic must accept it) and returns the streams. */
function analyse(packets: Sent[], ports: [number, number] = [40000, 40002]): RtpStreamReport[] {
  const a = new MediaAnalyzer();
  packets.forEach((p, i) => a.datagram(rtp(p), '192.0.2.1', ports[0], '198.51.100.2', ports[1], p.at, i + 1));
  return [...a.finish().streams];
}

/** A 20 ms PCMU stream: sequence numbers from seq0, timestamp 160 a packet, sent on time. */
function steady(count: number, seq0: number, start = 1_000_000): Sent[] {
  return Array.from({ length: count }, (_, i) => ({ seq: (seq0 + i) & 0xffff, ts: (8000 + 160 * i) >>> 0, at: start + 20 * i }));
}

/** RFC 3550 §A.8, in timestamp units, as the RFC writes it: the reference the analyser must agree with. */
function rfcJitter(packets: Sent[], rate: number): { max: number; last: number } {
  let jitter = 0;
  let max = 0;
  let transit: number | undefined;
  for (const p of packets) {
    const arrival = (p.at * rate) / 1000;
    const t = arrival - p.ts;
    if (transit !== undefined) {
      const d = Math.abs(t - transit);
      jitter += (d - jitter) / 16;
      max = Math.max(max, jitter);
    }
    transit = t;
  }
  return { max: (max * 1000) / rate, last: (jitter * 1000) / rate };
}

describe('RTP loss, order and jitter on hand-made sequences', () => {
  it('a clean stream: nothing lost, no jitter, 20 ms deltas', () => {
    const [s] = analyse(steady(50, 1000));
    expect(s).toMatchObject({ packets: 50, lost: 0, expected: 50, duplicates: 0, outOfOrder: 0, maxJitterMs: 0, maxDeltaMs: 20, codec: 'PCMU', foundBy: 'heuristic' });
  });

  it('counts across the wrap at 65535 without inventing 65,536 lost packets', () => {
    const [s] = analyse(steady(40, 65520));
    expect(s).toMatchObject({ packets: 40, expected: 40, lost: 0 });
  });

  it('counts packets lost across the wrap (65535 and 0 missing)', () => {
    const packets = steady(40, 65520).filter((p) => p.seq !== 65535 && p.seq !== 0);
    const [s] = analyse(packets);
    expect(s).toMatchObject({ packets: 38, expected: 40, lost: 2, outOfOrder: 0 });
  });

  it('counts a reordered packet as out of order and not as lost', () => {
    const packets = steady(20, 100);
    const late = packets.splice(10, 1)[0]!;
    packets.splice(12, 0, { ...late, at: packets[11]!.at + 1 });
    const [s] = analyse(packets);
    expect(s).toMatchObject({ packets: 20, outOfOrder: 1, duplicates: 0 });
    // Wireshark's lost is expected from the last packet received: the stream ended in order.
    expect(s?.lost).toBe(0);
  });

  it('counts a repeated packet as a duplicate; Wireshark\'s lost goes negative for it', () => {
    const packets = steady(20, 7);
    packets.splice(5, 0, { ...packets[4]!, at: packets[4]!.at + 2 });
    const [s] = analyse(packets);
    expect(s).toMatchObject({ packets: 21, duplicates: 1, outOfOrder: 0, lost: -1 });
  });

  it('starts a new stream when the SSRC changes on the same addresses and ports', () => {
    const first = steady(10, 500);
    const second = steady(10, 9000, first[9]!.at + 20).map((p) => ({ ...p, ssrc: 0x55667788 }));
    const streams = analyse([...first, ...second]);
    expect(streams.map((s) => [s.ssrc, s.packets, s.lost])).toEqual([
      [0x11223344, 10, 0],
      [0x55667788, 10, 0],
    ]);
  });

  it('jitter follows RFC 3550 §A.8 on irregular arrivals, in ms of the 8 kHz clock', () => {
    // Deterministic arrival noise of up to ±15 ms around the 20 ms schedule, never reordering packets.
    let x = 12345;
    const noise = (): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return (x / 2147483648) * 30 - 15;
    };
    const packets = steady(500, 30000).map((p, i) => ({ ...p, at: p.at + (i === 0 ? 0 : noise()) + i * 0.0 }));
    for (let i = 1; i < packets.length; i++) packets[i]!.at = Math.max(packets[i]!.at, packets[i - 1]!.at + 0.5);
    const [s] = analyse(packets);
    const ref = rfcJitter(packets, 8000);
    expect(s?.maxJitterMs).toBeCloseTo(ref.max, 3);
    expect(s?.maxJitterMs).toBeGreaterThan(3);
  });

  it('leaves talkspurt starts (marker bit) out of the maximum delta, as Wireshark does', () => {
    const packets = steady(30, 10);
    // 400 ms of silence suppression, then a new talkspurt flagged with the marker bit.
    for (let i = 15; i < 30; i++) packets[i] = { ...packets[i]!, at: packets[i]!.at + 400, ts: packets[i]!.ts + 3200, marker: i === 15 };
    const [s] = analyse(packets);
    expect(s?.maxDeltaMs).toBe(20);
    expect(s?.lost).toBe(0);
  });
});

describe('the heuristic for RTP without SDP', () => {
  it('does not take random UDP for RTP', () => {
    const a = new MediaAnalyzer();
    let x = 7;
    for (let i = 0; i < 500; i++) {
      const b = new Uint8Array(100).map(() => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x & 0xff;
      });
      a.datagram(b, '192.0.2.1', 40000, '198.51.100.2', 50000, i * 20, i + 1);
    }
    expect(a.finish().streams).toEqual([]);
  });

  it('never takes traffic on well-known ports, however RTP-like', () => {
    expect(analyse(steady(20, 1), [53, 40000])).toEqual([]);
  });

  it('needs four packets in a row before calling a flow RTP, and then counts those four too', () => {
    expect(analyse(steady(3, 1))).toEqual([]);
    expect(analyse(steady(4, 1))[0]?.packets).toBe(4);
  });
});
