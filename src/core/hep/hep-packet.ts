import type { Endpoint } from '../sip/message.js';

/**
 * One decoded HEP (Homer Encapsulation Protocol) packet: what a capture agent (Kamailio siptrace, OpenSIPS
 * proto_hep, FreeSWITCH, heplify, an SBC) saw on the wire, with where and when it saw it.
 * Chunk numbering follows the HEP3 specification (sipcapture/HEP, "HEP3 Network Protocol Specification").
 */
export interface HepPacket {
  readonly version: 1 | 2 | 3;
  /** IP family of the captured packet. */
  readonly family: 'ipv4' | 'ipv6' | undefined;
  /** IP protocol number of the captured packet: 17 UDP, 6 TCP, 132 SCTP (chunk 0x0002). */
  readonly ipProtocol: number | undefined;
  /** Transport name derived from ipProtocol ("UDP", "TCP", "TLS", "SCTP"), for the SIP message's meta. */
  readonly transport: string | undefined;
  readonly src: Endpoint | undefined;
  readonly dst: Endpoint | undefined;
  /** Capture time as sent: seconds since the epoch and the microseconds within that second. */
  readonly timeSec: number | undefined;
  readonly timeUsec: number | undefined;
  /** Payload protocol (chunk 0x000b): 1 is SIP. HEPv1/v2 carry SIP only. */
  readonly protocolType: number;
  /** Capture agent id (chunk 0x000c; 16 bits in HEPv2). */
  readonly captureId: number | undefined;
  /** Capture password (chunk 0x000e), HEPv3 only. */
  readonly authKey: string | undefined;
  /** Correlation id (chunk 0x0011), e.g. the Call-ID of the SIP dialog a log or RTCP report belongs to. */
  readonly correlationId: string | undefined;
  /** The captured bytes. Compressed (chunk 0x0010, gzip or deflate) when `compressed` is true. */
  readonly payload: Uint8Array;
  readonly compressed: boolean;
}

/** HEP payload protocol types (chunk 0x000b) worth naming in counters; the rest are counted by number. */
export const HEP_PROTOCOL_SIP = 1;

/** Milliseconds since the epoch of the capture, when the packet carries a timestamp. */
export function hepTimeMs(p: Pick<HepPacket, 'timeSec' | 'timeUsec'>): number | undefined {
  if (p.timeSec === undefined) return undefined;
  return p.timeSec * 1000 + Math.floor((p.timeUsec ?? 0) / 1000);
}

/** Kamailio and OpenSIPS put IPPROTO_IDP (22) in the protocol field for TLS and WebSocket (siptrace_hep.c). */
export function transportName(ipProtocol: number | undefined): string | undefined {
  switch (ipProtocol) {
    case 6:
      return 'TCP';
    case 17:
      return 'UDP';
    case 22:
      return 'TLS';
    case 132:
      return 'SCTP';
    default:
      return undefined;
  }
}
