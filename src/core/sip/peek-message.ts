import { parseCSeq, type CSeq } from './cseq.js';
import { headerName } from './header-names.js';

/**
 * The few facts live ingest needs from a message the moment it arrives: which call it belongs to, what it
 * is, and a key that is equal for copies of it. The full parse (parseSipMessage) waits until the call is
 * complete, so that thousands of calls in progress are held as bytes, not as parsed objects.
 */
export interface SipPeek {
  readonly method: string | undefined;
  readonly status: number | undefined;
  readonly callId: string;
  readonly cseq: CSeq | undefined;
  /**
   * Start line, Call-ID, CSeq, top Via, From and To as written. A retransmission, or the same packet mirrored
   * by two capture points, repeats them byte for byte (RFC 3261 §17.1.1.2, §17.2.1).
   */
  readonly key: string;
}

const WANTED = new Set(['call-id', 'cseq', 'via', 'from', 'to']);

/**
 * Reads the start line (RFC 3261 §7.1, §7.2) and the Call-ID, CSeq, first Via, From and To headers, any
 * spelling or compact form. Undefined when the text does not start like a SIP message or has no Call-ID.
 * Never throws; header folding is not joined (a folded header still gives a stable key).
 */
export function peekSipMessage(text: string): SipPeek | undefined {
  let pos = 0;
  while (pos < text.length && (text.charCodeAt(pos) === 0x0d || text.charCodeAt(pos) === 0x0a)) pos++;
  let eol = text.indexOf('\n', pos);
  if (eol === -1) return undefined;
  const first = text.slice(pos, text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol);
  let method: string | undefined;
  let status: number | undefined;
  if (first.length > 8 && first.slice(0, 8).toUpperCase() === 'SIP/2.0 ') {
    status = Number(first.slice(8, 11));
    if (!Number.isInteger(status) || status < 100 || status > 699) return undefined;
  } else {
    const sp = first.indexOf(' ');
    if (sp <= 0 || !/ SIP\/2\.0$/i.test(first)) return undefined;
    method = first.slice(0, sp);
  }
  const found = new Map<string, string>();
  pos = eol + 1;
  while (pos < text.length && found.size < WANTED.size) {
    eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    const end = text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol;
    if (end <= pos) break;
    const colon = text.indexOf(':', pos);
    if (colon > pos && colon < end) {
      const key = headerName(text.slice(pos, colon).trim()).key;
      if (WANTED.has(key) && !found.has(key)) found.set(key, text.slice(colon + 1, end).trim());
    }
    pos = eol + 1;
  }
  const callId = found.get('call-id') ?? '';
  if (callId === '') return undefined;
  const cseq = found.get('cseq');
  const via = found.get('via') ?? '';
  // Only the top Via counts (several may share one line, RFC 3261 §7.3.1).
  const topVia = via.split(',')[0] ?? '';
  return {
    method,
    status,
    callId,
    cseq: cseq === undefined ? undefined : parseCSeq(cseq),
    key: `${first}\u0000${callId}\u0000${cseq ?? ''}\u0000${topVia}\u0000${found.get('from') ?? ''}\u0000${found.get('to') ?? ''}`,
  };
}
