import type { Endpoint, MessageMeta } from '../sip/message.js';
import { parseTimestamp } from './timestamp.js';

// "1.2.3.4:5060", "[2001:db8::1]:5060", "udp/[1.2.3.4]:5060" (FreeSWITCH), "UDP:1.2.3.4:5060" (Asterisk).
const HOSTPORT = String.raw`(?:(udp|tcp|tls|sctp|wss?)[:/])?(\[[0-9a-fA-F:.]+\]|\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?`;
// ngrep and sngrep print IPv6 endpoints unbracketed ("::1:5217 -> ::1:5117"): the last colon starts the port.
const HOSTPORT_ARROW = String.raw`(?:(udp|tcp|tls|sctp|wss?)[:/])?(\[[0-9a-fA-F:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(?::(\d{1,5}))?`;
const ARROW = new RegExp(String.raw`${HOSTPORT_ARROW}\s*-+>\s*${HOSTPORT_ARROW}`, 'i');
const FROM = new RegExp(String.raw`\b(?:from|read from|received from)\s+${HOSTPORT}`, 'i');
const TO = new RegExp(String.raw`\b(?:to|sent to|send to)\s+${HOSTPORT}`, 'i');
const TRANSPORT = /\b(UDP|TCP|TLS|SCTP|WSS?)\b/;

function endpoint(host: string | undefined, port: string | undefined): Endpoint | undefined {
  if (host === undefined) return undefined;
  const h = host.replace(/^\[|\]$/g, '');
  return port === undefined ? { host: h } : { host: h, port: Number(port) };
}

/**
 * Reads what a log's own lines say about the next message: its time, where it came from or went to, and
 * the transport. Works across formats because they all print the same few shapes (an arrow, "from X",
 * "to X", a timestamp); format-specific readers exist only where this is not enough (tshark's tree).
 */
export function frameMeta(lines: readonly string[]): MessageMeta {
  let time: number | undefined;
  let src: Endpoint | undefined;
  let dst: Endpoint | undefined;
  let transport: string | undefined;
  for (const line of lines) {
    if (line.length > 400) continue;
    time ??= parseTimestamp(line);
    const arrow = ARROW.exec(line);
    if (arrow) {
      src ??= endpoint(arrow[2], arrow[3]);
      dst ??= endpoint(arrow[5], arrow[6]);
      transport ??= arrow[1]?.toUpperCase() ?? arrow[4]?.toUpperCase() ?? (/^\s*T\s/.test(line) ? 'TCP' : /^\s*U\s/.test(line) ? 'UDP' : undefined);
      continue;
    }
    const from = FROM.exec(line);
    if (from) {
      src ??= endpoint(from[2], from[3]);
      transport ??= from[1]?.toUpperCase();
    }
    const to = TO.exec(line);
    if (to) {
      dst ??= endpoint(to[2], to[3]);
      transport ??= to[1]?.toUpperCase();
    }
    if ((from || to) && transport === undefined) transport = TRANSPORT.exec(line)?.[1]?.toUpperCase();
  }
  return {
    ...(time === undefined ? {} : { time }),
    ...(src === undefined ? {} : { src }),
    ...(dst === undefined ? {} : { dst }),
    ...(transport === undefined ? {} : { transport }),
  };
}
