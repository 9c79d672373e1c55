import type { Problem } from '../result.js';
import type { SipMessage } from '../sip/message.js';
import { parseSipMessage } from '../sip/parse-message.js';
import type { ScanResult } from './scan-log.js';

// Start lines at the beginning of a line: what separates messages pasted back to back.
const START = /^(?:SIP\/2\.0 [1-9]\d\d\b|[A-Za-z0-9.!%*_+`'~-]+ [^ \r\n]+ SIP\/2\.0\r?$)/gm;

/**
 * Fast path for the commonest paste: SIP messages and nothing else. Each message is parsed in place from
 * the original text (no line splitting, no rebuilding), framed by the next start line. Returns undefined
 * when the text is not clean raw SIP (a header line the parser cannot read, text before the first message),
 * so that the log scanner, which tolerates a log's own lines, reads it instead.
 */
export function readRaw(text: string): ScanResult | undefined {
  const starts: number[] = [];
  for (const m of text.matchAll(START)) starts.push(m.index ?? 0);
  const first = starts[0];
  if (first === undefined || text.slice(0, first).trim() !== '') return undefined;
  const messages: SipMessage[] = [];
  const problems: Problem[] = [];
  let line = lineCount(text, 0, first);
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i] ?? 0;
    const to = starts[i + 1] ?? text.length;
    const segment = text.slice(from, to);
    const parsed = parseSipMessage(segment, { lineOffset: line, meta: { format: 'raw' } });
    if (!parsed.ok || parsed.problems.some((p) => p.code === 'header-syntax' || p.code === 'truncated')) return undefined;
    // Anything after Content-Length but before the next start line must be whitespace, or this is a log.
    if (segment.slice(parsed.consumed).trim() !== '') return undefined;
    messages.push(parsed.message);
    for (const p of parsed.problems) problems.push(p);
    line += lineCount(text, from, to);
  }
  return { messages, problems };
}

function lineCount(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
