/**
 * Bounds on what a capture may make the reader hold. A capture is untrusted input: every length field in it
 * is checked against one of these before anything is allocated, so memory stays bounded whatever the file says.
 */
export interface CaptureLimits {
  /** Largest pcap record or pcapng block accepted; anything larger is a damaged or hostile file. */
  readonly maxRecordBytes: number;
  /** SIP messages kept; the rest are counted and reported, not held. */
  readonly maxMessages: number;
  /** IP datagrams waiting for their other fragments. */
  readonly maxPendingFragments: number;
  /** A datagram whose fragments are not all seen within this many packets is dropped (a timeout by count). */
  readonly fragmentTimeoutPackets: number;
  /** TCP connections (per direction) followed at once; the least recently active is dropped past this. */
  readonly maxTcpFlows: number;
  /** Bytes buffered for one TCP direction waiting for the rest of a SIP message. */
  readonly maxFlowBytes: number;
  /** Bytes buffered across all TCP directions. */
  readonly maxTcpBytes: number;
  /** Out-of-order TCP segments held per direction while waiting for the gap to fill. */
  readonly maxPendingSegments: number;
}

// 262144 is the largest snapshot length libpcap and Wireshark accept for common link types (pcap-common.c).
export const DEFAULT_CAPTURE_LIMITS = {
  maxRecordBytes: 4 * 1024 * 1024,
  maxMessages: 200_000,
  maxPendingFragments: 256,
  fragmentTimeoutPackets: 4096,
  maxTcpFlows: 4096,
  maxFlowBytes: 256 * 1024,
  maxTcpBytes: 32 * 1024 * 1024,
  maxPendingSegments: 32,
} as const satisfies Required<CaptureLimits>;

/** IPv4 and IPv6 (without jumbograms) datagrams are at most 65535 bytes (RFC 791 §3.1, RFC 8200 §3). */
export const MAX_DATAGRAM = 65_535;
