import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../../src/core/trace/read-trace.js';
import { readFixture, traceFixtures } from './fixture-traces.js';

// Issue 13 item 8: binary junk between two messages (bytes of a capture pasted into a trace file, a NUL
// run from a truncated log) made the reader drop the message after it, and nothing said so.
const RAW = new URL('../../fixtures/traces/raw/', import.meta.url);
const clean = readFileSync(new URL('03-unavailable-503.sip', RAW));
const cut = clean.indexOf('SIP/2.0 503 ');

// A file is read as UTF-8, so bytes that are not UTF-8 arrive as U+FFFD, as they do from Slack or the CLI.
const junks: [string, Buffer][] = [
  ['a NUL run glued to the next start line', Buffer.alloc(64, 0)],
  ['a PNG header with its own line breaks', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52])],
  ['invalid UTF-8 and control bytes', Buffer.from([0xff, 0xfe, 0x80, 0x81, 0x01, 0x02, 0x03, 0x10, 0xc3, 0x28, 0x7f])],
  ['junk on lines of its own', Buffer.from([0x0d, 0x0a, 0x00, 0x01, 0x02, 0x0d, 0x0a, 0xff, 0xfe, 0x0d, 0x0a])],
];

describe('binary junk between two SIP messages', () => {
  const expected = readTrace(clean.toString('utf8'));

  it.each(junks)('keeps every message and reports one problem line: %s', (_what, junk) => {
    const text = Buffer.concat([clean.subarray(0, cut), junk, clean.subarray(cut)]).toString('utf8');
    const read = readTrace(text);
    expect(read.messages.map((m) => m.status ?? m.method)).toEqual(expected.messages.map((m) => m.status ?? m.method));
    expect(read.messages.map((m) => m.callId)).toEqual(expected.messages.map((m) => m.callId));
    const second = read.messages[1];
    expect(second?.status).toBe(503);
    const junkProblems = read.problems.filter((p) => p.code === 'binary-junk');
    expect(junkProblems).toHaveLength(1);
    // The problem names the line the junk starts at.
    const lead = junk.findIndex((b) => b !== 0x0d && b !== 0x0a);
    const junkLine = Buffer.concat([clean.subarray(0, cut), junk.subarray(0, lead)]).toString('utf8').split('\n').length;
    expect(junkProblems[0]?.line).toBe(junkLine);
    expect(junkProblems[0]?.message).toMatch(/^binary data .*between the SIP messages, skipped$/);
  });

  it('is not reported on any clean fixture, nor on input that is binary throughout', () => {
    for (const f of traceFixtures()) {
      const read = readTrace(readFixture(f));
      expect(read.problems.filter((p) => p.code === 'binary-junk'), f.file).toEqual([]);
    }
    const binary = readTrace(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('utf8'));
    expect(binary.problems.map((p) => p.code)).toEqual(['binary']);
  });
});
