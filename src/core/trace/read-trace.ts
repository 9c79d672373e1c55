import type { Problem } from '../result.js';
import type { SipMessage } from '../sip/message.js';
import { detectFormat } from './detect-format.js';
import { inferFromContext } from './evidence/infer-calls.js';
import { scanCauses, type LogCause } from './evidence/log-causes.js';
import { scanEvidence } from './evidence/log-evidence.js';
import { NO_PHRASES, type ReasonPhrases } from './evidence/reason-phrases.js';
import { readRaw } from './read-raw.js';
import { repairPaste, type Repair } from './repair/repair-paste.js';
import { scanLog } from './scan-log.js';
import { looksSlackEscaped, unescapeSlack } from './slack-text.js';
import { looksLikeTshark, readTsharkText } from './tshark-text.js';

export const DEFAULT_MAX_TRACE_BYTES = 2 * 1024 * 1024;

export interface TraceReadOptions {
  readonly maxBytes?: number;
  /** Reason phrases, for reading failures that log lines state in words ("480 Temporarily Unavailable"). */
  readonly phrases?: ReasonPhrases;
}

export interface TraceRead {
  readonly format: string;
  readonly messages: readonly SipMessage[];
  readonly problems: readonly Problem[];
  /** What the repair stage changed before parsing (joined wrapped lines, doubled spacing), by input line. */
  readonly repairs?: readonly Repair[];
  /** Log lines outside the messages that state why a call ended (cause 20, CHANUNAVAIL, CALL_REJECTED). */
  readonly causes?: readonly LogCause[];
}

/**
 * Finds the SIP messages in whatever people paste. Never throws; an input over the size limit is refused
 * with a "too-large" problem before any parsing, so a huge paste costs nothing.
 */
export function readTrace(input: string, options: TraceReadOptions = {}): TraceRead {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TRACE_BYTES;
  // UTF-16 length is at most the UTF-8 byte count for the texts we see, so check it first without encoding.
  const size = input.length > maxBytes / 3 ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) {
    return { format: 'none', messages: [], problems: [{ code: 'too-large', message: `the trace is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit` }] };
  }
  const slack = looksSlackEscaped(input);
  const { text, repairs } = repairPaste(slack ? unescapeSlack(input) : input);
  const format = detectFormat(text);
  const result =
    format === 'tshark' && looksLikeTshark(text) ? readTsharkText(text) : ((format === 'raw' ? readRaw(text) : undefined) ?? scanLog(text, format));
  const problems = [...result.problems];
  const read = format === 'tshark' ? { messages: result.messages, causes: [] } : withContext(text, result.messages, options.phrases ?? NO_PHRASES);
  const { messages, causes } = read;
  if (messages.length === 0) {
    problems.push({
      code: looksBinary(text) ? 'binary' : 'no-sip',
      message: looksBinary(text)
        ? 'this looks like binary data, not a SIP trace (captures are read as files: .pcap or .pcapng)'
        : 'no SIP messages found: paste the messages themselves, starting at a line like "INVITE sip:… SIP/2.0" or "SIP/2.0 503 …"',
    });
  }
  return {
    format: slack && format === 'raw' ? 'slack' : format,
    messages,
    problems,
    ...(repairs.length === 0 ? {} : { repairs }),
    ...(causes.length === 0 || messages.length === 0 ? {} : { causes }),
  };
}

// Log lines outside the printed messages may state the failure the messages leave out (log-evidence.ts).
function withContext(text: string, messages: readonly SipMessage[], phrases: ReasonPhrases): { messages: readonly SipMessage[]; causes: LogCause[] } {
  const covered = new Set<number>();
  for (const m of messages) {
    // A Call-ID-less status line inside a log line stays readable as evidence (infer-calls.ts).
    if (m.callId === '' && m.status !== undefined) continue;
    const n = m.raw.trimEnd().split('\n').length;
    for (let l = m.line; l < m.line + n; l++) covered.add(l);
  }
  const lines = text.split('\n');
  const causes = scanCauses(lines, (l) => covered.has(l));
  const { evidence, callIds } = scanEvidence(lines, (l) => covered.has(l), phrases);
  let lastLine = lines.length;
  while (lastLine > 0 && (lines[lastLine - 1] ?? '').trim() === '') lastLine--;
  // A message that runs to the paste's last line may have lost the end of its Call-ID there (infer-calls.ts).
  const last = messages[messages.length - 1];
  const cutAtEnd = last !== undefined && last.callId !== '' && last.line + last.raw.trimEnd().split('\n').length - 1 === lastLine;
  const orphans = messages.some((m) => m.callId === '');
  if (evidence.length === 0 && !orphans && !cutAtEnd) return { messages, causes };
  return { messages: inferFromContext(messages, evidence, callIds, phrases, lastLine), causes };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.05;
}
