import { readdirSync, readFileSync } from 'node:fs';

/** One benchmark message with the facts every parser must get right. */
export interface CorpusMessage {
  readonly text: string;
  readonly start: string | number;
  readonly callId: string;
  readonly cseq: number;
}

interface Expected {
  readonly requests: readonly { method: string; cseq: number; callId: string }[];
  readonly responses: readonly { code: number; cseq: number; callId: string }[];
}

const raw = new URL('../test/fixtures/traces/raw/', import.meta.url);

// Splits a raw fixture (messages back to back, framed by Content-Length) at each start line.
function splitRaw(text: string): string[] {
  const out: string[] = [];
  const starts = [...text.matchAll(/^(?:SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0\r$)/gm)].map((m) => m.index ?? 0);
  for (let i = 0; i < starts.length; i++) out.push(text.slice(starts[i], starts[i + 1] ?? text.length));
  return out;
}

const COMPACT: Readonly<Record<string, string>> = { Via: 'v', From: 'f', To: 't', 'Call-ID': 'i', Contact: 'm', 'Content-Length': 'l', 'Content-Type': 'c', Supported: 'k' };

/** Variants that real peers send: compact names, shouted or lower-case names, folded values, extra Vias. */
const VARIANTS: readonly ((m: string) => string)[] = [
  (m) => m,
  (m) => m.replace(/^([A-Za-z-]+):/gm, (all, name: string) => (COMPACT[name] === undefined ? all : `${COMPACT[name]}:`)),
  (m) => m.replace(/^([A-Za-z-]+):/gm, (_all, name: string) => `${name.toUpperCase()}:`).replace(/^(CALL-ID|CSEQ):/gm, (x) => x.toLowerCase()),
  (m) => m.replace(/^(Allow|Supported|Contact): ([^\r]*), /m, '$1: $2,\r\n   '),
  (m) => m.replace(/^(Via: [^\r]*)\r\n/m, '$1\r\nVia: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-extra-1;received=203.0.113.9\r\nVia: SIP/2.0/TCP edge.example.net:5061;branch=z9hG4bK-extra-2\r\n'),
];

/** Real SIPp messages from the fixtures, in several real-world spellings, each with its expected facts. */
export function sipCorpus(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  for (const file of readdirSync(raw).filter((f) => f.endsWith('.sip')).sort()) {
    const expected = JSON.parse(readFileSync(new URL(`${file}.expected.json`, raw), 'utf8')) as Expected;
    const messages = splitRaw(readFileSync(new URL(file, raw), 'utf8'));
    let req = 0;
    let res = 0;
    for (const m of messages) {
      const isResponse = m.startsWith('SIP/2.0 ');
      const facts = isResponse ? expected.responses[res++] : expected.requests[req++];
      if (facts === undefined) continue;
      const start = isResponse ? (facts as { code: number }).code : (facts as { method: string }).method;
      for (const variant of VARIANTS) out.push({ text: variant(m), start, callId: facts.callId, cseq: facts.cseq });
    }
  }
  return out;
}
