import { endpoint } from './endpoint.js';
import { codecImpairment, mosFromR, rating } from './e-model.js';
import { JITTER_BUFFER_MS } from './media-stream.js';
import type { RtcpCompound } from './rtcp-packet.js';
import { SenderReports } from './sender-reports.js';
import type { VqMetrics, VqReport } from './vq-rtcpxr.js';

/** The audio quality one way of a call, as the receiving end or a media relay reported it. */
export interface DirectionQuality {
  /** Sender and receiver of the audio, "ip:port" (or "ip" when the report gave no port). */
  readonly from: string;
  readonly to: string;
  readonly mos: number;
  /** 'reported' when the endpoint sent its own MOS (RTCP XR, RFC 6035), else our E-model estimate. */
  readonly mosFrom: 'reported' | 'e-model';
  readonly lossPercent: number;
  readonly jitterMs: number;
  readonly source: 'rtcp' | 'vq-rtcpxr';
}

/** Per-call quality as stored with the call's event: the worst direction's MOS first. */
export interface CallQuality {
  readonly mos: number;
  readonly directions: readonly DirectionQuality[];
}

/** G.107 Table B.1: under MOS 3.6 (R 70) many users are dissatisfied. */
export const POOR_MOS = 3.6;
const MAX_DIRECTIONS = 4;
/** RTCP jitter is in timestamp units; live reports do not name the codec, and 8 kHz voice is the norm. */
const ASSUMED_CLOCK_RATE = 8000;
const G711 = codecImpairment('PCMA')!;

interface Acc {
  from: string;
  to: string;
  source: DirectionQuality['source'];
  reports: number;
  lossSum: number;
  jitterSum: number;
  rttMs: number | undefined;
  reportedMos: number | undefined;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * What RTCP (via HEP) and RFC 6035 reports said about one call's audio, gathered as they arrive. Memory is
 * bounded: at most four directions per call. A report block sent from A to B is A's view of the audio B sent
 * (RFC 3550 §6.4.1), so it describes the direction B → A.
 */
export class CallQualityAccumulator {
  readonly #dirs = new Map<string, Acc>();
  readonly #senders = new SenderReports(MAX_DIRECTIONS);

  get empty(): boolean {
    return this.#dirs.size === 0;
  }

  /**
   * One RTCP compound seen going from `src` to `dst` at `timeMs` (the capture agent's time). Round trips come
   * from an XR block when the endpoint measured one, else from LSR/DLSR against the SRs seen going the
   * other way (sender-reports.ts), so the estimate carries the network's delay rather than none.
   */
  rtcp(r: RtcpCompound, src: string, dst: string, timeMs?: number): void {
    if (timeMs !== undefined) this.#senders.seen(r, timeMs);
    const xr = r.voip[0];
    // An XR packet sent alone (RFC 3611 §4.7): the reporter's own loss, discards, round trip and MOS.
    if (r.reports.length === 0 && xr !== undefined) {
      const acc = this.#dir(dst, src, 'rtcp');
      if (acc === undefined) return;
      acc.reports++;
      acc.lossSum += 100 * (xr.lossRate + xr.discardRate);
      if (xr.roundTripMs !== undefined) acc.rttMs = xr.roundTripMs;
      if (xr.mosLq !== undefined) acc.reportedMos = xr.mosLq;
      return;
    }
    for (const b of r.reports) {
      const acc = this.#dir(dst, src, 'rtcp');
      if (acc === undefined) return;
      acc.reports++;
      acc.lossSum += 100 * b.fractionLost;
      acc.jitterSum += (1000 * b.jitter) / ASSUMED_CLOCK_RATE;
      const measured = timeMs === undefined ? undefined : this.#senders.roundTrip(b, timeMs);
      if (measured !== undefined) acc.rttMs = measured;
      if (xr?.roundTripMs !== undefined) acc.rttMs = xr.roundTripMs;
      if (xr?.mosLq !== undefined) acc.reportedMos = xr.mosLq;
    }
  }

  /** A voice quality report (RFC 6035): LocalMetrics describe remote → local, RemoteMetrics local → remote. */
  vq(report: VqReport): void {
    const local = place(report.local);
    const remote = place(report.remote);
    if (report.localMetrics !== undefined) this.#vq(remote, local, report.localMetrics);
    if (report.remoteMetrics !== undefined) this.#vq(local, remote, report.remoteMetrics);
  }

  #vq(from: string, to: string, m: VqMetrics): void {
    const acc = this.#dir(from, to, 'vq-rtcpxr');
    if (acc === undefined) return;
    // A later report (an interval, then CallTerm) replaces the earlier: it covers the session so far.
    acc.reports = 1;
    acc.lossSum = (m.lossPercent ?? 0) + (m.discardPercent ?? 0);
    acc.jitterSum = m.jitterMs ?? 0;
    acc.rttMs = m.roundTripMs;
    acc.reportedMos = m.mosLq ?? m.mosCq ?? (m.rLq === undefined ? undefined : mosFromR(m.rLq));
  }

  #dir(from: string, to: string, source: Acc['source']): Acc | undefined {
    const key = `${source}|${from}|${to}`;
    let acc = this.#dirs.get(key);
    if (acc === undefined) {
      if (this.#dirs.size >= MAX_DIRECTIONS) return undefined;
      acc = { from, to, source, reports: 0, lossSum: 0, jitterSum: 0, rttMs: undefined, reportedMos: undefined };
      this.#dirs.set(key, acc);
    }
    return acc;
  }

  /**
   * The quality so far, or undefined with no report. Without a reported MOS it is estimated by the E-model
   * for G.711 with PLC (G.113 Appendix I), the mean reported loss, and a one-way delay of half the round
   * trip (XR's, else LSR/DLSR's; 0 when neither is known) plus a 60 ms jitter buffer and 20 ms packets: an
   * estimate, as the capture path's is.
   */
  summary(): CallQuality | undefined {
    const directions: DirectionQuality[] = [];
    for (const a of this.#dirs.values()) {
      if (a.reports === 0) continue;
      const lossPercent = Math.min(100, a.lossSum / a.reports);
      const estimate = (): number => mosFromR(rating({ ta: (a.rttMs ?? 0) / 2 + JITTER_BUFFER_MS + 20, ie: G711.ie, bpl: G711.bpl, ppl: lossPercent }));
      directions.push({
        from: a.from,
        to: a.to,
        mos: round(a.reportedMos ?? estimate(), 2),
        mosFrom: a.reportedMos === undefined ? 'e-model' : 'reported',
        lossPercent: round(lossPercent, 2),
        jitterMs: round(a.jitterSum / a.reports, 1),
        source: a.source,
      });
    }
    if (directions.length === 0) return undefined;
    return { mos: Math.min(...directions.map((d) => d.mos)), directions };
  }
}

function place(a: VqReport['local']): string {
  if (a === undefined) return '?';
  return a.port === undefined ? a.ip : endpoint(a.ip, a.port);
}
