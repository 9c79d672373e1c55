import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../src/core/sip/parse-message.js';

// RFC 4475 torture messages, byte-exact (see test/fixtures/rfc4475/SOURCES.md for origin and licence).
const dir = new URL('../../fixtures/rfc4475/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'latin1');

const categories = new Map<string, string>();
for (const row of readFileSync(new URL('SOURCES.md', dir), 'utf8').split('\n')) {
  const cells = row.split('|').map((c) => c.trim());
  if (cells[1]?.endsWith('.dat')) categories.set(cells[1], cells[4] ?? '');
}

// Expected start line, Call-ID and CSeq for every message a parser must accept, read off the RFC text.
const accepted: Record<string, [string | number, string, number, string]> = {
  'wsinv.dat': ['INVITE', 'wsinv.ndaksdj@192.0.2.1', 9, 'INVITE'],
  'intmeth.dat': ["!interesting-Method0123456789_*+`.%indeed'~", 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{', 139122385, "!interesting-Method0123456789_*+`.%indeed'~"],
  'esc01.dat': ['INVITE', 'esc01.239409asdfakjkn23onasd0-3234', 234234, 'INVITE'],
  'escnull.dat': ['REGISTER', 'escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd', 14398234, 'REGISTER'],
  'esc02.dat': ['RE%47IST%45R', 'esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf', 29344, 'RE%47IST%45R'],
  'lwsdisp.dat': ['OPTIONS', 'lwsdisp.1234abcd@funky.example.com', 60, 'OPTIONS'],
  'longreq.dat': ['INVITE', `longreq.one${'really'.repeat(20)}longcallid`, 3882340, 'INVITE'],
  'dblreq.dat': ['REGISTER', 'dblreq.0ha0isndaksdj99sdfafnl3lk233412', 8, 'REGISTER'],
  'semiuri.dat': ['OPTIONS', 'semiuri.0ha0isndaksdj', 8, 'OPTIONS'],
  'transports.dat': ['OPTIONS', 'transports.kijh4akdnaqjkwendsasfdj', 60, 'OPTIONS'],
  'mpart01.dat': ['MESSAGE', '3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..', 1, 'MESSAGE'],
  'unreason.dat': [200, 'unreason.1234ksdfak3j2erwedfsASdf', 35, 'INVITE'],
  'noreason.dat': [100, 'noreason.asndj203insdf99223ndf', 35, 'INVITE'],
  'badbranch.dat': ['OPTIONS', 'badbranch.sadonfo23i420jv0as0derf3j3n', 8, 'OPTIONS'],
  'unkscm.dat': ['OPTIONS', 'unkscm.nasdfasser0q239nwsdfasdkl34', 3923423, 'OPTIONS'],
  'novelsc.dat': ['OPTIONS', 'novelsc.asdfasser0q239nwsdfasdkl34', 3923423, 'OPTIONS'],
  'unksm2.dat': ['REGISTER', 'unksm2.daksdj@hyphenated-host.example.com', 234902, 'REGISTER'],
  'bext01.dat': ['OPTIONS', 'bext01.0ha0isndaksdj', 8, 'OPTIONS'],
  'invut.dat': ['INVITE', 'invut.0ha0isndaksdjadsfij34n23d', 235448, 'INVITE'],
  'regaut01.dat': ['REGISTER', 'regaut01.0ha0isndaksdj', 9338, 'REGISTER'],
  'multi01.dat': ['INVITE', 'multi01.98asdh@192.0.2.1', 5, 'INVITE'],
  'bcast.dat': [200, 'bcast.0384840201234ksdfak3j2erwedfsASdf', 35, 'INVITE'],
  'zeromf.dat': ['OPTIONS', 'zeromf.jfasdlfnm2o2l43r5u0asdfas', 39234321, 'OPTIONS'],
  'cparam01.dat': ['REGISTER', 'cparam01.70710@saturn.example.com', 2, 'REGISTER'],
  'cparam02.dat': ['REGISTER', 'cparam02.70710@saturn.example.com', 3, 'REGISTER'],
  'regescrt.dat': ['REGISTER', 'regescrt.k345asrl3fdbv@192.0.2.1', 14398234, 'REGISTER'],
  'sdp01.dat': ['INVITE', 'sdp01.ndaksdj9342dasdd', 8, 'INVITE'],
  'inv2543.dat': ['INVITE', 'inv2543.1717@ift.client.example.com', 56, 'INVITE'],
};

// Invalid messages whose defect the parser names; the others in that group parse leniently.
const flagged: Record<string, string> = {
  'clerr.dat': 'content-length-mismatch',
  'ncl.dat': 'content-length-invalid',
  'scalar02.dat': 'cseq',
  'scalarlg.dat': 'cseq',
  'ltgtruri.dat': 'request-uri',
  'lwsruri.dat': 'start-line-whitespace',
  'lwsstart.dat': 'start-line-whitespace',
  'trws.dat': 'start-line-whitespace',
  'badvers.dat': 'version',
  'mismatch01.dat': 'cseq-method',
  'mismatch02.dat': 'cseq-method',
  'bigcode.dat': 'status-code',
  'mcl01.dat': 'content-length-multiple',
  'insuf.dat': 'missing-header',
  'multi01.dat': 'duplicate-header',
};

describe('RFC 4475 torture messages', () => {
  it('has all 49 messages with their RFC category', () => {
    expect(categories.size).toBe(49);
  });

  for (const [file, [start, callId, seq, method]] of Object.entries(accepted)) {
    it(`accepts ${file} (${categories.get(file)}) with the right start line, Call-ID and CSeq`, () => {
      const result = parseSipMessage(read(file));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const m = result.message;
      expect(typeof start === 'number' ? m.status : m.method).toBe(start);
      expect(m.callId).toBe(callId);
      expect(m.cseq).toEqual({ seq, method });
    });
  }

  for (const [file, code] of Object.entries(flagged)) {
    it(`names the defect in ${file} as ${code}`, () => {
      const result = parseSipMessage(read(file));
      expect(result.problems.map((p) => p.code)).toContain(code);
      for (const p of result.problems) expect(p.line).toBeGreaterThan(0);
    });
  }

  it('parses every invalid message leniently or refuses it, and never throws', () => {
    const invalid = [...categories].filter(([, c]) => c === 'invalid').map(([f]) => f);
    expect(invalid.length).toBe(19);
    for (const file of invalid) {
      const result = parseSipMessage(read(file));
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
      else expect(result.message.callId).not.toBe('');
    }
  });

  it('stops dblreq.dat at its Content-Length and leaves the trailing octets unread', () => {
    const text = read('dblreq.dat');
    const result = parseSipMessage(text);
    expect(result.ok && result.message.body).toBe('');
    expect(result.consumed).toBeLessThan(text.length);
    expect(text.slice(result.consumed)).toMatch(/^\s*INVITE sip:joe@example.com SIP\/2.0/);
  });

  it('reads the folded, spaced and compact headers of wsinv.dat', () => {
    const result = parseSipMessage(read('wsinv.dat'));
    if (!result.ok) throw new Error('wsinv must parse');
    const m = result.message;
    expect(m.vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.toTag).toBe('1918181833n');
    expect(m.fromTag).toBe('98asjd8');
    expect(m.maxForwards).toBe(68);
    expect(m.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.contacts[0]?.params.get('q')).toBe('0.33');
    expect(m.body.length).toBe(150);
  });
});
