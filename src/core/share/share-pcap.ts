import { writePcap, type PcapMessage } from '../capture/write-pcap.js';
import { endpointText } from '../ladder/host-address.js';
import type { Redactor } from '../redact.js';
import { ipVersion } from '../sip/ip-version.js';
import type { Endpoint } from '../sip/message.js';
import type { TriageReport } from '../triage/triage.js';
import { documentationAddress } from './documentation-address.js';
import { redactedSipText } from './redacted-sip-text.js';

/** call.pcap and what summary.md must say about how it was made. */
export interface SharePcap {
  readonly bytes: Uint8Array;
  /** Messages written, in trace order. */
  readonly written: number;
  /** Trace message numbers left out: messages the reader completed or built from a partial line or a log line. */
  readonly left: readonly number[];
  /** Masked hosts and the documentation address each has in the IP headers, in first-seen order. */
  readonly hosts: readonly { readonly pseudonym: string; readonly address: string }[];
  /** Messages with a side the trace gives no IP address for: that side is UNKNOWN_SIDE's address. */
  readonly unaddressed: number;
  /** Messages without a capture time: each carries the time of the message before it (0 before any). */
  readonly undated: number;
  /** Some times are times of day without a date (a log without dates): the capture dates them 1970-01-01. */
  readonly dateless: boolean;
  /** Messages the trace says went over TCP, TLS or WebSocket, written as UDP datagrams. */
  readonly streamed: number;
}

const DAY_MS = 86_400_000;
// A side the trace does not give, in the family of the side it does: TEST-NET-3 and a documentation prefix of
// its own (RFC 5737, RFC 3849), not writePcap's 127.0.0.1, which is a real host in many traces (SIPp on the
// loopback) and would read as a leaked address in a masked bundle.
export const UNKNOWN_SIDE = { 4: '203.0.113.1', 6: '2001:db8:3::1', port: 5060 } as const;

/**
 * The shared calls' messages as a classic pcap that Wireshark and sngrep open, carrying the same redaction as
 * the other files of the bundle: each message's text is trace.txt's (credentials removed, numbers masked when
 * the bundle masks them), and when addresses are masked, each real host in the IP headers is the documentation
 * address of its pseudonym, from the same Redactor as trace.txt, so 192.0.2.1 in Wireshark is private-1 in the
 * trace and the ladder. Ports and capture times are kept as the trace gives them (a kept call: as HEP gave
 * them; a paste: what its log headers or tshark text said). Addresses the trace does not give are not guessed
 * from Via or the Request-URI: that side is UNKNOWN_SIDE (port 5060 when the trace names a host without one),
 * and summary.md says how many messages that was. Messages the reader built from context (a cut-off request,
 * a log line) were never whole on the wire, so they stay in trace.txt only.
 */
export function sharePcap(report: TriageReport, redactor: Redactor): SharePcap {
  const messages: PcapMessage[] = [];
  const left: number[] = [];
  const hosts = new Map<string, string>();
  let unaddressed = 0;
  let undated = 0;
  let dateless = false;
  let streamed = 0;
  let lastTime = 0;
  const side = (e: Endpoint | undefined): { readonly text: string; readonly family: 4 | 6 } | undefined => {
    const host = e?.host.replace(/^\[|\]$/g, '');
    const family = host === undefined ? 0 : ipVersion(host);
    if (e === undefined || host === undefined || (family !== 4 && family !== 6)) return undefined;
    const shown = redactor.options.addresses ? documentationAddress(redactor.address(host), family) : host;
    if (shown === undefined) return undefined;
    if (redactor.options.addresses) hosts.set(redactor.address(host), shown);
    return { text: endpointText({ host: shown, port: e.port ?? UNKNOWN_SIDE.port }), family };
  };
  const unknown = (family: 4 | 6): string => endpointText({ host: UNKNOWN_SIDE[family], port: UNKNOWN_SIDE.port });
  for (const entry of report.entries) {
    const m = entry.message;
    if (m.meta.inferred !== undefined) {
      left.push(entry.index);
      continue;
    }
    const src = side(m.meta.src);
    const dst = side(m.meta.dst);
    if (src === undefined || dst === undefined) unaddressed++;
    const family = src?.family ?? dst?.family ?? 4;
    if (m.meta.time === undefined) undated++;
    else {
      lastTime = m.meta.time;
      if (m.meta.time < DAY_MS) dateless = true;
    }
    if (m.meta.transport !== undefined && !/^udp$/i.test(m.meta.transport)) streamed++;
    messages.push({ time: m.meta.time ?? lastTime, src: src?.text ?? unknown(family), dst: dst?.text ?? unknown(family), raw: redactedSipText(m.raw, redactor) });
  }
  return {
    // A plain Uint8Array, not writePcap's Buffer: the bundle crosses from a worker thread as one, and a Buffer
    // may be a view into a shared pool that would be copied whole.
    bytes: new Uint8Array(writePcap(messages)),
    written: messages.length,
    left,
    hosts: [...hosts].map(([pseudonym, address]) => ({ pseudonym, address })),
    unaddressed,
    undated,
    dateless,
    streamed,
  };
}

/** The call.pcap section of summary.md: what the recipient opening it in Wireshark needs to read it right. */
export function sharePcapSummary(pcap: SharePcap, redactor: Redactor): string {
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const lines = [
    '## call.pcap',
    '',
    `- ${n(pcap.written, 'message')} of trace.txt as UDP datagrams, redacted as trace.txt is (Content-Length follows the redacted body); real ports and capture times`,
  ];
  if (redactor.options.addresses) {
    const map = pcap.hosts.map((h) => `${h.pseudonym} = ${h.address}`).join(', ');
    lines.push(`- Addresses are documentation addresses standing for the masked hosts${map === '' ? '' : `: ${map}`}`);
  } else lines.push('- Addresses are the real ones the trace gives');
  if (pcap.left.length > 0) {
    lines.push(`- Not in it: ${pcap.left.map((i) => `#${i}`).join(', ')}, completed from a partial line or a log line of the trace rather than read whole`);
  }
  if (pcap.unaddressed > 0) {
    lines.push(`- ${n(pcap.unaddressed, 'message')} without an IP address in the trace for one side or both: that side is ${UNKNOWN_SIDE[4]} (IPv6: ${UNKNOWN_SIDE[6]}), port ${UNKNOWN_SIDE.port}`);
  }
  if (pcap.undated > 0) lines.push(`- ${n(pcap.undated, 'message')} without a time in the trace: each carries the time of the message before it`);
  if (pcap.dateless) lines.push('- The trace gives times of day without a date: the capture dates them 1970-01-01');
  if (pcap.streamed > 0) lines.push(`- ${n(pcap.streamed, 'message')} sent over TCP, TLS or WebSocket, written as UDP datagrams`);
  lines.push('');
  return lines.join('\n');
}
