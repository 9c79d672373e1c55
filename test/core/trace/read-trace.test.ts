import { describe, expect, it } from 'vitest';
import { readTrace } from '../../../src/core/trace/read-trace.js';
import { readFixture, traceFixtures } from './fixture-traces.js';

const fixtures = traceFixtures().filter((f) => !f.file.endsWith('.json'));

// Formats whose framing lines carry a time, and those that also carry addresses.
// tshark -O prints frames as one-line summaries without their arrival time; Kamailio's stderr log has no time.
const TIMED = new Set(['ngrep', 'tshark-V', 'sngrep', 'sipp-trace', 'asterisk-pjsip', 'freeswitch', 'cisco']);
const ADDRESSED = new Set(['ngrep', 'tshark-V', 'tshark-O', 'sngrep', 'asterisk-pjsip', 'asterisk-chansip', 'freeswitch']);
// What detectFormat should call each fixture directory.
const FORMAT: Record<string, string> = {
  raw: 'raw', slack: 'slack', 'tshark-V': 'tshark', 'tshark-O': 'tshark', ngrep: 'ngrep', sngrep: 'sngrep',
  'sipp-trace': 'sipp', 'asterisk-pjsip': 'asterisk-pjsip', 'asterisk-chansip': 'asterisk-chansip',
  freeswitch: 'freeswitch', cisco: 'cisco', kamailio: 'kamailio',
};

describe('trace readers over real traces', () => {
  it('has fixtures for every format', () => {
    expect(new Set(fixtures.map((f) => f.dir))).toEqual(new Set(Object.keys(FORMAT)));
    expect(fixtures.length).toBeGreaterThan(200);
  });

  for (const f of fixtures) {
    it(`${f.dir}/${f.file}: finds every message, in order, with its Call-ID and CSeq`, () => {
      const read = readTrace(readFixture(f), { maxBytes: 8 * 1024 * 1024 });
      expect(read.format).toBe(FORMAT[f.dir]);
      expect(read.messages.length).toBe(f.expected.messages);
      expect(read.problems).toEqual([]);
      const requests = read.messages.filter((m) => m.isRequest).map((m) => ({ method: m.method, cseq: m.cseq?.seq, callId: m.callId }));
      expect(requests).toEqual(f.expected.requests.map((r) => ({ method: r.method, cseq: r.cseq, callId: r.callId })));
      const responses = read.messages
        .filter((m) => m.isResponse)
        .map((m) => ({ code: m.status, reason: m.reason, method: m.cseq?.method, cseq: m.cseq?.seq, callId: m.callId }));
      expect(responses).toEqual(f.expected.responses.map((r) => ({ code: r.code, reason: r.reason, method: r.method, cseq: r.cseq, callId: r.callId })));
      // Plain ngrep output has no timestamps; `ngrep -t` (the .t.txt files) has.
      const timed = TIMED.has(f.dir) && (f.dir !== 'ngrep' || f.file.endsWith('.t.txt'));
      if (timed) for (const m of read.messages) expect(m.meta.time, `time of ${m.label}`).toBeTypeOf('number');
      if (ADDRESSED.has(f.dir)) {
        for (const m of read.messages) expect(m.meta.src !== undefined || m.meta.dst !== undefined, `address of ${m.label}`).toBe(true);
      }
    });
  }
});
