import type { Redactor } from '../redact.js';

// The header that frames the body, long or compact form (RFC 3261 §20.14, §7.3.3).
const CONTENT_LENGTH = /^(content-length|l)([ \t]*:[ \t]*)(\d+)/im;

/**
 * A message as a shared capture carries it: redacted by the same Redactor call as trace.txt, with CRLF line
 * ends (RFC 3261 §7; pasted traces often lost their CRs), and Content-Length moved by exactly as many bytes
 * as redaction added to or took from the body ("127.0.0.1" → "private-1" is the same length, "::1" → "private-1"
 * is not). Moved, not recounted: a length that was already wrong (a paste cut off mid-body) stays wrong, as
 * it was in the trace, rather than a capture tool being told the message is whole.
 */
export function redactedSipText(raw: string, redactor: Redactor): string {
  const plain = raw.replace(/\r\n/g, '\n');
  const redacted = redactor.text(plain);
  const before = split(plain);
  const after = split(redacted);
  const delta = bytes(after.body) - bytes(before.body);
  const head =
    delta === 0
      ? after.head
      : after.head.replace(CONTENT_LENGTH, (_m, name: string, sep: string, value: string) => `${name}${sep}${Math.max(0, Number(value) + delta)}`);
  return crlf(after.body === undefined ? head : `${head}\n\n${after.body}`);
}

function split(text: string): { head: string; body: string | undefined } {
  const at = text.indexOf('\n\n');
  return at < 0 ? { head: text, body: undefined } : { head: text.slice(0, at), body: text.slice(at + 2) };
}

function bytes(body: string | undefined): number {
  return body === undefined ? 0 : Buffer.byteLength(crlf(body), 'utf8');
}

function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}
