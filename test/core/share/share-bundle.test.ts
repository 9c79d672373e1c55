import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/core/engine.js';
import { maskNumbers } from '../../../src/core/redact.js';
import { buildShareBundle, shareRedaction } from '../../../src/core/share/share-bundle.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';
import { svgToPng } from '../../../src/render/svg-to-png.js';

const engine = createEngine(defaultKnowledge());
const report = (name: string): ReturnType<typeof engine.triageBytes>['report'] =>
  engine.triageBytes(readFileSync(new URL(`../../fixtures/captures/${name}`, import.meta.url))).report;
const texts = (b: ReturnType<typeof buildShareBundle>): string => b.files.map((f) => (typeof f.content === 'string' ? f.content : '')).join('\n');

describe('share bundle', () => {
  it('masks numbers and addresses by default, and removes credentials whatever is chosen', () => {
    expect(shareRedaction()).toEqual({ numbers: true, addresses: true });
    const bundle = buildShareBundle(report('05-proxy-auth-407.pcapng'), { redact: shareRedaction(), source: 'call.pcapng' });
    const all = texts(bundle);
    expect(all).not.toMatch(/127\.0\.0\.1/);
    expect(all).not.toMatch(/\+1555555\d{4}/);
    // The real digest response of the retried INVITE (set 05) never leaves.
    const original = new TextDecoder().decode(readFileSync(new URL('../../fixtures/traces/raw/05-proxy-auth-407.sip', import.meta.url)));
    const response = /response="([0-9a-f]{32})"/.exec(original)?.[1];
    expect(response).toBeDefined();
    expect(all).not.toContain(response);
    expect(all).toContain('response="[redacted]"');
    expect(bundle.summary).toContain('- Redaction: phone numbers masked (last two digits kept); IP addresses replaced by pseudonyms (private-N, public-N); digest responses, passwords and tokens removed');
  });

  it('holds the failing call: summary with UTC timestamps, redacted trace, ladder as text, Mermaid, SVG and PNG', () => {
    const bundle = buildShareBundle(report('15-kamailio-503.pcapng'), { redact: shareRedaction(), source: 'trunk.pcapng', rasterize: (svg) => svgToPng(svg) });
    expect(bundle.files.map((f) => [f.name, f.mediaType])).toEqual([
      ['summary.md', 'text/markdown'],
      ['trace.txt', 'text/plain'],
      ['call.pcap', 'application/vnd.tcpdump.pcap'],
      ['ladder.txt', 'text/plain'],
      ['ladder.mmd', 'text/plain'],
      ['ladder.svg', 'image/svg+xml'],
      ['ladder.png', 'image/png'],
    ]);
    expect(bundle.summary.split('\n').slice(0, 12)).toEqual([
      '# SIP failure summary',
      '',
      '- Source: trunk.pcapng (read as pcapng; 8 messages, 1 call)',
      '- Redaction: phone numbers masked (last two digits kept); IP addresses replaced by pseudonyms (private-N, public-N); digest responses, passwords and tokens removed',
      '',
      '## Call 1: INVITE → 500 Service Unavailable (was 503 Service Unavailable downstream) (failed)',
      '',
      '- Call-ID: `1-d1ee88c7fa39da79@uac.example.com`',
      '- INVITE sip:+•••••••••03@private-1:5115 (message #1) sent at 2026-11-25 10:33:26.127 UTC from private-1:5215 (SIPp/3.6.1) to private-1:5160',
      '- 503 Service Unavailable (message #4) answered at 2026-11-25 10:33:26.133 UTC from private-1:5115 (Kamailio) to private-1:5160 (+0.005 s)',
      '- 500 Service Unavailable (message #6) relayed to the caller at 2026-11-25 10:33:26.135 UTC from private-1:5160 (kamailio) to private-1:5215',
      '- Findings:',
    ]);
    const trace = bundle.files.find((f) => f.name === 'trace.txt')?.content as string;
    expect(trace.split('\n')[0]).toBe('# message 1 · 2026-11-25 10:33:26.127 UTC · private-1:5215 → private-1:5160 (UDP)');
    expect(trace.match(/^# message /gm)).toHaveLength(8);
    const png = bundle.files.find((f) => f.name === 'ladder.png')?.content as Uint8Array;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bundle.files.find((f) => f.name === 'ladder.mmd')?.content).toContain('participant H2 as kamailio private-1:5160');
  });

  it('keeps numbers or addresses only when the person sharing opts out, and says so', () => {
    const bundle = buildShareBundle(report('02-busy-486.pcapng'), { redact: shareRedaction({ numbers: true }) });
    expect(bundle.redaction).toEqual({ numbers: false, addresses: true });
    expect(bundle.summary).toContain('phone numbers NOT masked');
    expect(texts(bundle)).toContain('+15555550486');
    expect(texts(bundle)).not.toContain('127.0.0.1');
  });

  it('shares the failing calls only, or the one asked for', () => {
    const mixed = engine.triage(
      ['01-success-200', '02-busy-486'].map((s) => readFileSync(new URL(`../../fixtures/traces/raw/${s}.sip`, import.meta.url), 'utf8')).join(''),
    ).report;
    const failing = buildShareBundle(mixed, { redact: shareRedaction() });
    expect(failing.summary).toContain('(read as raw; 5 messages, 1 of 3 calls)');
    const one = buildShareBundle(mixed, { redact: shareRedaction(), callId: '2-812b68f66e8965fa@uac.example.com' });
    expect(one.summary).toContain('## Call 1: INVITE → 200 OK (answered)');
    expect(one.files.find((f) => f.name === 'trace.txt')?.content).not.toContain('Busy Here');
  });

  it('does not take a dotted IPv4 address for a phone number', () => {
    expect(maskNumbers('sip:+15555550486@127.0.0.1:5102')).toBe('sip:+•••••••••86@127.0.0.1:5102');
  });
});

describe('redaction fixes a share bundle relies on', () => {
  it('shortens a quoted nonce once, without mangling it', async () => {
    const { redactAuthValue } = await import('../../../src/core/redact.js');
    expect(redactAuthValue('Digest realm="example.com", nonce="5f1c2a7b9d0e4f", opaque="0a4f113b55aa", qop="auth"')).toBe(
      'Digest realm="example.com", nonce="5f1c2a7b…", opaque="0a4f113b…", qop="auth"',
    );
    expect(redactAuthValue('Digest nonce=abcdef0123456789, response=deadbeef')).toBe('Digest nonce=abcdef01…, response="[redacted]"');
  });
});

describe('share summary over the public corpus (test/fixtures/wild, each with its source)', () => {
  it('never ends a sentence on a side the trace does not give ("from public-2:5060 to ")', () => {
    const dir = new URL('../../fixtures/wild/', import.meta.url);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && /\.(txt|log|sip)$/.test(f.name));
    expect(files.length).toBeGreaterThan(50);
    let described = 0;
    for (const f of files) {
      const text = readFileSync(join(f.parentPath, f.name), 'utf8');
      const { summary } = buildShareBundle(engine.triage(text).report, { redact: shareRedaction() });
      for (const line of summary.split('\n')) expect(line, f.name).not.toMatch(/ (to|from)\s*$/);
      if (/ from \S+/.test(summary)) described++;
    }
    expect(described).toBeGreaterThan(10);
  });
});
