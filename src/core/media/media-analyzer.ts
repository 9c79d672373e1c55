import type { Problem } from '../result.js';
import type { SipMessage } from '../sip/message.js';
import { MediaStream, type RtpMap } from './media-stream.js';
import { RtcpFlows } from './rtcp-flows.js';
import { readRtcp } from './rtcp-packet.js';
import { emptyRtpHeader, isRtcpType, readRtpHeader } from './rtp-header.js';
import { FlowProbation } from './rtp-heuristic.js';
import { sdpEndpoints, type SdpEndpoint } from './sdp-endpoints.js';
import { endpoint } from './endpoint.js';
import { streamReport, type MediaReport } from './media-report.js';

export interface MediaLimits {
  /** RTP streams and RTCP report flows kept; memory grows with these, never with packets. */
  readonly maxStreams: number;
  /** Media addresses remembered from SDP. */
  readonly maxEndpoints: number;
  /** UDP flows on probation at once for the heuristic. */
  readonly maxCandidates: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = { maxStreams: 5000, maxEndpoints: 20000, maxCandidates: 2000 } as const satisfies Required<MediaLimits>;

/** Takes the SIP messages and the other UDP datagrams of a capture, in capture order. */
export interface MediaSink {
  message(message: SipMessage): void;
  datagram(bytes: Uint8Array, src: string, srcPort: number, dst: string, dstPort: number, time: number, frame: number): void;
}

/**
 * Finds RTP and RTCP in a capture and measures each stream as it goes, keeping per stream a fixed amount of
 * state: a 100 MB capture of one call costs what a 1 MB one does. Media is recognised by the SDP of the
 * calls seen so far (either end of the datagram at an announced address and port, as Wireshark does), and
 * otherwise by a strict heuristic (see FlowProbation).
 */
export class MediaAnalyzer implements MediaSink {
  readonly #limits: MediaLimits;
  /** SDP addresses by port, so that most datagrams cost one numeric lookup. */
  readonly #endpoints = new Map<number, SdpEndpoint[]>();
  #endpointCount = 0;
  /** Streams by SSRC, then told apart by addresses and ports. */
  readonly #streams = new Map<number, MediaStream[]>();
  readonly #ordered: MediaStream[] = [];
  readonly #candidates = new Map<string, FlowProbation>();
  readonly #rejected = new Set<string>();
  readonly #rtcp: RtcpFlows;
  readonly #header = emptyRtpHeader();
  readonly #notes = new Map<string, Problem>();
  #lastAt = Number.NaN;
  #datagrams = 0;

  constructor(limits: Partial<MediaLimits> = {}) {
    this.#limits = { ...DEFAULT_MEDIA_LIMITS, ...limits };
    this.#rtcp = new RtcpFlows(this.#limits.maxStreams);
  }

  message(message: SipMessage): void {
    const t = message.meta.time;
    if (t !== undefined) this.#lastAt = t;
    for (const e of sdpEndpoints(message)) this.#register(e);
  }

  datagram(b: Uint8Array, src: string, srcPort: number, dst: string, dstPort: number, time: number, frame: number): void {
    this.#datagrams++;
    this.#lastAt = time;
    const known = this.#find(dstPort, dst) ?? this.#find(srcPort, src);
    if (known !== undefined) {
      if (known.kind === 'rtcp' || (known.kind === 'mux' && isRtcpType(b))) this.#rtcpPacket(b, src, srcPort, dst, dstPort, time);
      else if (readRtpHeader(b, this.#header) && !isRtcpType(b)) this.#rtpPacket(b, src, srcPort, dst, dstPort, time, frame, 'sdp', known.callId, known.rtpmap);
      return;
    }
    this.#unannounced(b, src, srcPort, dst, dstPort, time, frame);
  }

  finish(): MediaReport {
    const streams = this.#ordered.map((s) => streamReport(s, this.#rtcp));
    const problems = [...this.#notes.values()];
    return { streams, rtcp: this.#rtcp.summaries(), endAt: Number.isNaN(this.#lastAt) ? undefined : this.#lastAt, problems };
  }

  #register(e: SdpEndpoint): void {
    const list = this.#endpoints.get(e.port);
    const i = list?.findIndex((x) => x.host === e.host) ?? -1;
    // A later SDP for the same address (a re-INVITE, or a port reused by the next call) takes over from here on.
    if (list !== undefined && i >= 0) {
      list[i] = e;
      return;
    }
    if (this.#endpointCount >= this.#limits.maxEndpoints) {
      this.#note('media-endpoints', `only the first ${this.#limits.maxEndpoints} media addresses announced in SDP were followed`);
      return;
    }
    this.#endpointCount++;
    if (list === undefined) this.#endpoints.set(e.port, [e]);
    else list.push(e);
  }

  #find(port: number, host: string): SdpEndpoint | undefined {
    const list = this.#endpoints.get(port);
    if (list === undefined) return undefined;
    for (const e of list) if (e.host === host) return e;
    return undefined;
  }

  #rtpPacket(b: Uint8Array, src: string, srcPort: number, dst: string, dstPort: number, time: number, frame: number, foundBy: 'sdp' | 'heuristic', callId: string | undefined, rtpmap: RtpMap | undefined): void {
    const h = this.#header;
    let list = this.#streams.get(h.ssrc);
    let stream: MediaStream | undefined;
    if (list !== undefined) {
      for (const s of list) {
        if (s.srcPort === srcPort && s.dstPort === dstPort && s.src === src && s.dst === dst) {
          stream = s;
          break;
        }
      }
    }
    if (stream === undefined) {
      if (this.#ordered.length >= this.#limits.maxStreams) {
        this.#note('media-streams', `only the first ${this.#limits.maxStreams} RTP streams were measured`);
        return;
      }
      stream = new MediaStream(h.ssrc, src, srcPort, dst, dstPort, foundBy, callId, rtpmap);
      if (list === undefined) this.#streams.set(h.ssrc, (list = []));
      list.push(stream);
      this.#ordered.push(stream);
    }
    stream.add(b, h, time, frame);
  }

  #rtcpPacket(b: Uint8Array, src: string, srcPort: number, dst: string, dstPort: number, time: number): boolean {
    const r = readRtcp(b);
    if (r === undefined) return false;
    this.#rtcp.add(r, endpoint(src, srcPort), endpoint(dst, dstPort), time, (ssrc) => this.#streams.get(ssrc)?.[0]?.stats.clockRate ?? 0);
    return true;
  }

  #unannounced(b: Uint8Array, src: string, srcPort: number, dst: string, dstPort: number, time: number, frame: number): void {
    // Well-known ports (DNS, NTP, SNMP, syslog…) are never taken for media without SDP.
    if (srcPort < 1024 || dstPort < 1024 || b.length < 12 || b[0]! >> 6 !== 2) return;
    if (isRtcpType(b)) {
      if (!this.#rejected.has(flowKey(src, srcPort, dst, dstPort))) this.#rtcpPacket(b, src, srcPort, dst, dstPort, time);
      return;
    }
    if (!readRtpHeader(b, this.#header)) return;
    const h = this.#header;
    const list = this.#streams.get(h.ssrc);
    if (list !== undefined) {
      for (const s of list) {
        if (s.srcPort === srcPort && s.dstPort === dstPort && s.src === src && s.dst === dst) {
          s.add(b, h, time, frame);
          return;
        }
      }
    }
    // The flow's key is built only here, once the packet is not of a stream already found: most are.
    const key = flowKey(src, srcPort, dst, dstPort);
    if (this.#rejected.has(key)) return;
    let c = this.#candidates.get(key);
    if (c === undefined) {
      if (this.#candidates.size >= this.#limits.maxCandidates) {
        this.#note('media-candidates', `too many UDP flows without SDP at once: some were not checked for RTP`);
        return;
      }
      c = new FlowProbation();
      this.#candidates.set(key, c);
    }
    if (!c.offer(h, b, time, frame)) {
      if (c.givenUp) {
        this.#candidates.delete(key);
        if (this.#rejected.size < this.#limits.maxCandidates * 10) this.#rejected.add(key);
      }
      return;
    }
    this.#candidates.delete(key);
    for (const p of c.held) {
      if (readRtpHeader(p.bytes, this.#header)) this.#rtpPacket(p.bytes, src, srcPort, dst, dstPort, p.time, p.frame, 'heuristic', undefined, undefined);
    }
  }

  #note(code: string, message: string): void {
    if (!this.#notes.has(code)) this.#notes.set(code, { code, message });
  }

  get datagrams(): number {
    return this.#datagrams;
  }
}

const flowKey = (src: string, srcPort: number, dst: string, dstPort: number): string => `${src}|${srcPort}|${dst}|${dstPort}`;
