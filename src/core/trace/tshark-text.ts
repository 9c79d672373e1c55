import type { Problem } from '../result.js';
import type { Endpoint, MessageMeta, SipMessage } from '../sip/message.js';
import { parseSipMessage } from '../sip/parse-message.js';
import type { ScanResult } from './scan-log.js';
import { parseTimestamp } from './timestamp.js';

/** tshark -V or -O sip output: a dissection tree rather than the message itself. */
export function looksLikeTshark(text: string): boolean {
  return /^Session Initiation Protocol(?: \(|$)/m.test(text) && /^\s+(?:Request|Status)-Line: /m.test(text);
}

const SDP_FIELD = /\(([a-z])\): (.*)$/;
const FRAME = /^Frame \d+:/;
const IP = /^Internet Protocol Version [46], Src: (\S+), Dst: (\S+)/;
const PORTS = /^(User Datagram Protocol|Transmission Control Protocol|Stream Control Transmission Protocol), Src Port: (\d+), Dst Port: (\d+)/;

interface Pending {
  time?: number;
  srcHost?: string;
  dstHost?: string;
  srcPort?: number;
  dstPort?: number;
  transport?: string;
}

/**
 * Rebuilds SIP messages from tshark's tree: the start line from "Request-Line:"/"Status-Line:", header
 * lines at the first indent under "Message Header", and an SDP body from the "(v): …" fields. Frame,
 * IP and transport lines give the time and addresses.
 */
export function readTsharkText(text: string): ScanResult {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const messages: SipMessage[] = [];
  const problems: Problem[] = [];
  let pending: Pending = {};
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (FRAME.test(line)) {
      pending = {};
      i++;
      continue;
    }
    const epoch = /^\s+Epoch (?:Arrival )?Time: (\d+)\.(\d+)/.exec(line);
    if (epoch) pending.time = Number(epoch[1]) * 1000 + Number(`0.${epoch[2]}`) * 1000;
    else if (/^\s+Arrival Time: /.test(line) && pending.time === undefined) {
      const t = parseTimestamp(line);
      if (t !== undefined) pending.time = t;
    }
    const ip = IP.exec(line);
    if (ip) {
      pending.srcHost = ip[1] ?? '';
      pending.dstHost = ip[2] ?? '';
    }
    const ports = PORTS.exec(line);
    if (ports) {
      pending.srcPort = Number(ports[2]);
      pending.dstPort = Number(ports[3]);
      pending.transport = ports[1]?.startsWith('User') ? 'UDP' : ports[1]?.startsWith('Trans') ? 'TCP' : 'SCTP';
    }
    if (!/^Session Initiation Protocol/.test(line)) {
      i++;
      continue;
    }
    const startNo = i + 1;
    const out: string[] = [];
    const body: string[] = [];
    let headerIndent = -1;
    let inBody = false;
    i++;
    for (; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (l !== '' && !/^\s/.test(l)) break;
      // tshark marks long lines " [truncated]" (one space deeper) but still prints them whole.
      const truncated = /^\s*\[truncated\]/.test(l);
      const indent = l.length - l.trimStart().length - (truncated ? 1 : 0);
      const content = l.trim().replace(/^\[truncated\]\s*/, '');
      const start = /^(?:Request|Status)-Line: (.*)$/.exec(content);
      if (start && indent <= 4) {
        out.push(start[1] ?? '');
        continue;
      }
      if (content === 'Message Header' && indent <= 4) {
        headerIndent = indent + 4;
        continue;
      }
      if (content === 'Message Body' && indent <= 4) {
        inBody = true;
        continue;
      }
      if (inBody) {
        const sdp = SDP_FIELD.exec(content);
        if (sdp && !content.startsWith('[')) body.push(`${sdp[1]}=${sdp[2]}`);
        continue;
      }
      // Only the header lines themselves; deeper lines are tshark's dissection of them, [..] lines its notes.
      if (indent === headerIndent && !content.startsWith('[') && /^[^\s:]+\s*:/.test(content)) out.push(content);
    }
    if (out.length === 0) continue;
    const bodyText = body.length === 0 ? '' : `${body.join('\r\n')}\r\n`;
    // The body is rebuilt from fields, so its length is recomputed rather than trusted.
    const headers = out.slice(1).filter((h) => !/^(content-length|l)\s*:/i.test(h));
    const messageText = `${[out[0], ...headers, `Content-Length: ${Buffer.byteLength(bodyText)}`].join('\r\n')}\r\n\r\n${bodyText}`;
    const parsed = parseSipMessage(messageText, { lineOffset: startNo - 1, meta: meta(pending) });
    if (parsed.ok) messages.push(parsed.message);
    for (const p of parsed.problems) problems.push(p);
  }
  return { messages, problems };
}

function meta(p: Pending): MessageMeta {
  const src: Endpoint | undefined = p.srcHost === undefined ? undefined : { host: p.srcHost, ...(p.srcPort === undefined ? {} : { port: p.srcPort }) };
  const dst: Endpoint | undefined = p.dstHost === undefined ? undefined : { host: p.dstHost, ...(p.dstPort === undefined ? {} : { port: p.dstPort }) };
  return {
    format: 'tshark',
    ...(p.time === undefined ? {} : { time: p.time }),
    ...(src === undefined ? {} : { src }),
    ...(dst === undefined ? {} : { dst }),
    ...(p.transport === undefined ? {} : { transport: p.transport }),
  };
}
