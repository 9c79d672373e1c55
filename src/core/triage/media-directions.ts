import type { RtpStreamReport } from '../media/media-report.js';
import type { Evidence, RuleContext } from './finding.js';
import type { Negotiation, Side, SideSdp } from './media-negotiation.js';

/** The RTP of a call sorted by who it was meant for. */
export interface DirectedMedia {
  /** Streams that reached the side: to an address its SDP gave, or back to where its own RTP came from. */
  readonly reaching: readonly RtpStreamReport[];
  /** Streams from the other side's media address that went somewhere else. */
  readonly astray: readonly RtpStreamReport[];
}

const other = (side: Side): Side => (side === 'caller' ? 'callee' : 'caller');

export function receiveSet(sdps: readonly SideSdp[]): Set<string> {
  return new Set(sdps.map((s) => s.receiveAt).filter((x) => x !== undefined));
}

/** The media meant for `side` (sent by the other one), RTP and telephone events alike. */
export function mediaFor(side: Side, neg: Negotiation, streams: readonly RtpStreamReport[]): DirectedMedia {
  const mine = receiveSet(neg[side]);
  const theirs = receiveSet(neg[other(side)]);
  // Symmetric RTP (RFC 4961): sending back to where a side's own RTP comes from reaches it too.
  const myOwnSources = new Set(streams.filter((s) => theirs.has(s.dst)).map((s) => s.src));
  const reaching = streams.filter((s) => mine.has(s.dst) || (myOwnSources.has(s.dst) && !theirs.has(s.dst)));
  const astray = streams.filter((s) => theirs.has(s.src) && !reaching.includes(s) && !mine.has(s.src));
  return { reaching, astray };
}

export function packets(streams: readonly RtpStreamReport[]): number {
  return streams.reduce((n, s) => n + s.packets, 0);
}

/** "RTP 192.0.2.1:4000 → 198.51.100.2:5000 (SSRC 0x…, PCMA, 233 packets from frame 45)", addresses masked as configured. */
export function streamLabel(ctx: RuleContext, s: RtpStreamReport): string {
  const show = ctx.showAddress ?? ((t: string) => t);
  const ssrc = `0x${s.ssrc.toString(16).toUpperCase().padStart(8, '0')}`;
  return `RTP ${show(s.src)} → ${show(s.dst)} (SSRC ${ssrc}, ${s.codec || `PT ${s.payloadType}`}, ${s.packets} packet${s.packets === 1 ? '' : 's'} from frame ${s.firstFrame})`;
}

/** Evidence pointing at the SDP that said where a side receives. */
export function sdpEvidence(ctx: RuleContext, sdp: SideSdp): Evidence {
  const show = ctx.showAddress ?? ((t: string) => t);
  const m = sdp.media;
  const text = `c=${show(m.address ?? '?')} m=${m.type} ${m.port} ${m.proto} ${m.codecs.map((c) => c.pt).join(' ')}${m.direction === 'sendrecv' ? '' : ` a=${m.direction}`}`;
  return { message: sdp.entry.index, line: sdp.entry.message.line, header: 'SDP', text };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
