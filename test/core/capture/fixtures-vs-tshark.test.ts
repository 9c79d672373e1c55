import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/core/capture/read-capture.js';
import { CaptureReader } from '../../../src/core/capture/read-capture.js';
import { createEngine, uploadLimit } from '../../../src/core/engine.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';

const DIR = new URL('../../fixtures/captures/', import.meta.url);
const CAPTURES = readdirSync(DIR).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

interface TsharkRow {
  frame: number;
  /** frame.time_epoch as whole seconds and nanoseconds, kept apart so no precision is lost. */
  seconds: number;
  nanos: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  method: string;
  status: string;
  callId: string;
  cseq: string;
}

/** The .tshark.tsv next to a capture: what tshark 4.0.17 reported for its SIP packets (PROVENANCE.md). */
function tshark(capture: string): TsharkRow[] {
  const text = readFileSync(new URL(capture.replace(/\.pcap(ng)?$/, '.tshark.tsv'), DIR), 'utf8');
  const [header = '', ...rows] = text.trim().split('\n');
  const cols = header.split('\t');
  return rows.map((line) => {
    const f = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v])) as Record<string, string>;
    return {
      frame: Number(f['frame.number']),
      seconds: Number((f['frame.time_epoch'] ?? '').split('.')[0]),
      nanos: Number(((f['frame.time_epoch'] ?? '').split('.')[1] ?? '').padEnd(9, '0')),
      src: f['ip.src'] || f['ipv6.src'] || '',
      srcPort: Number(f['udp.srcport'] || f['tcp.srcport']),
      dst: f['ip.dst'] || f['ipv6.dst'] || '',
      dstPort: Number(f['udp.dstport'] || f['tcp.dstport']),
      method: f['sip.Method'] ?? '',
      status: f['sip.Status-Code'] ?? '',
      callId: f['sip.Call-ID'] ?? '',
      cseq: f['sip.CSeq'] ?? '',
    };
  });
}

describe('captures made with SIPp and tshark read the same as tshark reads them', () => {
  it('has all 19 call sets in both formats', () => {
    expect(CAPTURES).toHaveLength(38);
  });

  for (const file of CAPTURES) {
    it(`${file}: every SIP message, in order, with tshark's frame, time, addresses, method, code, Call-ID and CSeq`, () => {
      const bytes = readFileSync(new URL(file, DIR));
      const read = readCapture(bytes);
      const expected = tshark(file);
      expect(read.problems).toEqual([]);
      expect(read.format).toBe(file.endsWith('.pcapng') ? 'pcapng' : 'pcap');
      expect(read.messages.map((m) => m.meta.frame)).toEqual(expected.map((r) => r.frame));
      expect(read.messages.map((m) => m.method ?? '')).toEqual(expected.map((r) => r.method));
      expect(read.messages.map((m) => (m.status === undefined ? '' : String(m.status)))).toEqual(expected.map((r) => r.status));
      expect(read.messages.map((m) => m.callId)).toEqual(expected.map((r) => r.callId));
      expect(read.messages.map((m) => m.get('CSeq'))).toEqual(expected.map((r) => r.cseq));
      read.messages.forEach((m, i) => {
        const row = expected[i]!;
        expect(m.meta.src).toEqual({ host: row.src, port: row.srcPort });
        expect(m.meta.dst).toEqual({ host: row.dst, port: row.dstPort });
        // The pcapng files hold nanoseconds: a double of epoch milliseconds keeps about a quarter of a
        // microsecond of them. The pcap copies hold microseconds, truncated by tshark when it converted them.
        const micros = ((m.meta.time ?? 0) - row.seconds * 1000) * 1000;
        if (file.endsWith('.pcapng')) expect(Math.abs(micros - row.nanos / 1000)).toBeLessThan(0.5);
        else expect(Math.round(micros)).toBe(Math.floor(row.nanos / 1000));
        expect(m.meta.format).toBe(read.format);
      });
      const transports = new Set(read.messages.map((m) => m.meta.transport));
      expect([...transports]).toEqual([file.startsWith('16-') ? 'TCP' : 'UDP']);
    });
  }

  it('reads the same messages whether the file arrives whole or one byte at a time', () => {
    for (const file of ['16-success-tcp.pcapng', '18-fragmented-udp.pcap', '01-success-200.pcapng']) {
      const bytes = readFileSync(new URL(file, DIR));
      const whole = readCapture(bytes).messages.map((m) => m.raw);
      const reader = new CaptureReader();
      for (let i = 0; i < bytes.length; i++) reader.push(bytes.subarray(i, i + 1));
      const trickled = reader.end();
      expect(trickled.problems).toEqual([]);
      expect(trickled.messages.map((m) => m.raw)).toEqual(whole);
    }
  });

  it('reassembles the fragmented 2.1 kB INVITE of set 18 from its two IPv4 fragments', () => {
    const read = readCapture(readFileSync(new URL('18-fragmented-udp.pcap', DIR)));
    const invite = read.messages[0]!;
    expect(read.stats.frames).toBe(8);
    expect(invite.method).toBe('INVITE');
    expect(invite.meta.frame).toBe(2);
    expect(invite.raw.length).toBeGreaterThan(2000);
    expect(invite.body).toHaveLength(Number(invite.get('Content-Length')));
  });
});

describe('engine.triageBytes on captures', () => {
  const engine = createEngine(defaultKnowledge());
  const expected = (set: string): { calls: { callId: string; final: { code: number } | null }[]; messages: number } =>
    JSON.parse(readFileSync(new URL(`../../fixtures/traces/raw/${set}.sip.expected.json`, import.meta.url), 'utf8')) as never;

  for (const file of CAPTURES) {
    const set = file.replace(/\.pcap(ng)?$/, '');
    it(`${file}: the calls and their final responses are the ones the call set produced`, () => {
      const answer = engine.triageBytes(readFileSync(new URL(file, DIR)), file);
      const want = expected(set);
      expect(answer.report.format).toBe(file.endsWith('.pcapng') ? 'pcapng' : 'pcap');
      expect(answer.report.entries).toHaveLength(want.messages);
      expect(answer.report.calls.map((c) => ({ callId: c.call.callId, code: c.call.final?.message.status ?? null }))).toEqual(
        want.calls.map((c) => ({ callId: c.callId, code: c.final?.code ?? null })),
      );
    });
  }

  it('tells a capture by its magic number whatever the file is called, and text by its absence', () => {
    const bytes = readFileSync(new URL('02-busy-486.pcapng', DIR));
    expect(engine.triageBytes(bytes, 'upload.bin').report.format).toBe('pcapng');
    expect(engine.triageBytes(bytes).report.calls[0]?.call.final?.message.status).toBe(486);
    const text = readFileSync(new URL('../traces/raw/02-busy-486.sip', DIR));
    expect(engine.triageBytes(text, 'trace.txt').report.format).toBe('raw');
  });

  it('calls a file named .pcap without a capture magic number a damaged capture, not a text trace', () => {
    const answer = engine.triageBytes(new TextEncoder().encode('hello, this is not a capture'), 'call.pcap');
    expect(answer.report.entries).toHaveLength(0);
    expect(answer.report.problems[0]?.code).toBe('capture-magic');
    expect(answer.summary.summary).toMatch(/not a pcap or pcapng capture/);
  });

  it('gives adapters the download limit by file name: captures up to MAX_CAPTURE_BYTES, text up to MAX_TRACE_BYTES', () => {
    const options = { maxTraceBytes: 2048, maxCaptureBytes: 4096, redact: { numbers: false, addresses: false } };
    expect(['a.pcap', 'B.PCAPNG', 'c.cap'].map((n) => uploadLimit(options, n))).toEqual([4096, 4096, 4096]);
    expect(['a.log', 'b.txt', undefined].map((n) => uploadLimit(options, n))).toEqual([2048, 2048, 2048]);
  });

  it('refuses a capture over the configured limit before reading it', () => {
    const small = createEngine(defaultKnowledge(), { maxTraceBytes: 2048, maxCaptureBytes: 4096, redact: { numbers: false, addresses: false } });
    const answer = small.triageBytes(readFileSync(new URL('01-success-200.pcap', DIR)));
    expect(answer.report.problems).toEqual([{ code: 'too-large', message: 'the capture is 7.2 KiB, over the 4.0 KiB limit' }]);
  });
});
