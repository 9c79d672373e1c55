import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SipMessage } from '../../src/core/sip/message.js';
import { readTrace } from '../../src/core/trace/read-trace.js';

const RAW = fileURLToPath(new URL('../fixtures/traces/raw/', import.meta.url));

/** The raw SIP fixture sets (SIPp calls, see fixtures/PROVENANCE.md), by name. */
export const RAW_SETS = readdirSync(RAW)
  .filter((f) => f.endsWith('.sip'))
  .map((f) => f.replace(/\.sip$/, ''));

export function rawText(set: string): string {
  return readFileSync(`${RAW}${set}.sip`, 'utf8');
}

export function rawMessages(set: string): SipMessage[] {
  return [...readTrace(rawText(set)).messages];
}

/** The messages of a set, each as the wire bytes a capture agent would mirror (CRLF line ends). */
export function rawPayloads(set: string, callIdSuffix = ''): string[] {
  return rawMessages(set).map((m) => {
    const text = m.raw.replace(/\r?\n/g, '\r\n');
    return callIdSuffix === '' ? text : text.split(m.callId).join(`${m.callId}${callIdSuffix}`);
  });
}
