import type { SipMessage } from '../sip/message.js';
import type { RtpMap } from './media-stream.js';

/** An address and port a call's SDP said media goes to. */
export interface SdpEndpoint {
  readonly host: string;
  readonly port: number;
  readonly callId: string;
  /** 'rtp', 'rtcp', or 'mux' when a=rtcp-mux puts both on one port. */
  readonly kind: 'rtp' | 'rtcp' | 'mux';
  readonly rtpmap: RtpMap;
}

/**
 * The media addresses announced by the SDP in one SIP message (RFC 4566 c= and m=, RFC 3605 a=rtcp): RTP at
 * the m= port, RTCP at a=rtcp or the next port up (RFC 3550 §11). A zero port (a refused stream) and the
 * 0.0.0.0 hold address (RFC 3264 §8.4, old style) announce nothing to receive on.
 */
export function sdpEndpoints(message: SipMessage): SdpEndpoint[] {
  const sdp = message.body === '' ? undefined : message.sdp;
  if (sdp === undefined) return [];
  const out: SdpEndpoint[] = [];
  for (const m of sdp.media) {
    const host = m.address;
    if (host === undefined || m.port === 0 || host === '0.0.0.0' || host === '::') continue;
    if (!/RTP/i.test(m.proto)) continue;
    const rtpmap = new Map(m.codecs.filter((c) => c.pt >= 0).map((c) => [c.pt, { name: c.name, rate: c.rate }] as const));
    const mux = m.rtcp !== undefined && m.rtcp.port === m.port && (m.rtcp.address ?? host) === host;
    out.push({ host, port: m.port, callId: message.callId, kind: mux ? 'mux' : 'rtp', rtpmap });
    if (!mux) out.push({ host: m.rtcp?.address ?? host, port: m.rtcp?.port ?? m.port + 1, callId: message.callId, kind: 'rtcp', rtpmap });
  }
  return out;
}
