import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInMemory } from './memory-io.js';

const cli = (args: string[], stdin: Uint8Array | string = '') => runCliInMemory(args, {}, stdin);

const fixture = (name: string): string => new URL(`../fixtures/captures/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'siptriage-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('siptriage triage with captures', () => {
  it('reads a pcap file as bytes and triages it', async () => {
    const r = await cli(['triage', fixture('02-busy-486.pcap'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ format: 'pcap', messages: 5, calls: [{ outcome: 'failed', final: { code: 486, reason: 'Busy Here' } }] });
  });

  it('reads a pcapng from stdin', async () => {
    const r = await cli(['triage', '-', '--json'], readFileSync(fixture('16-success-tcp.pcapng')));
    expect(JSON.parse(r.out)).toMatchObject({ format: 'pcapng', messages: 7, calls: [{ outcome: 'answered' }] });
  });

  it('says what is wrong with a damaged capture and exits 2', async () => {
    const whole = readFileSync(fixture('02-busy-486.pcap'));
    const r = await cli(['triage', '-', '--json'], whole.subarray(0, 30));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).problems[0]).toMatchObject({ code: 'truncated' });
  });
});

describe('siptriage ladder', () => {
  it('prints the text ladder by default', async () => {
    const r = await cli(['ladder', fixture('02-busy-486.pcap')]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Call 1 of 1: INVITE → 486 Busy Here (failed)');
    expect(lines.filter((l) => /^ \+\d/.test(l))).toHaveLength(5);
  });

  it('prints Mermaid with --mermaid, and draws one call with --call', async () => {
    const r = await cli(['ladder', fixture('01-success-200.pcapng'), '--mermaid', '--call', '2-812b68f66e8965fa@uac.example.com']);
    expect(r.out.split('\n')[0]).toBe('sequenceDiagram');
    expect(r.out).toContain('Call-ID 2-812b68f66e8965fa@uac.example.com');
    expect(r.out).not.toContain('Call-ID 1-812b68f66e8965fa');
  });

  it('writes --svg and --png files', async () => {
    const svg = join(dir, 'flow.svg');
    const png = join(dir, 'flow.png');
    const r = await cli(['ladder', fixture('14-kamailio-486.pcap'), '--svg', svg, '--png', png]);
    expect(r.code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg /);
    expect([...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(r.err).toBe(`siptriage: wrote ${svg}\nsiptriage: wrote ${png}\n`);
  });

  it('refuses an unknown Call-ID, and a path it cannot write, with one line each', async () => {
    const none = await cli(['ladder', fixture('02-busy-486.pcap'), '--call', 'nope']);
    expect(none.code).toBe(2);
    expect(none.err).toBe('siptriage: no call with Call-ID nope in this trace\n');
    const bad = await cli(['ladder', fixture('02-busy-486.pcap'), '--svg', join(dir, 'missing', 'x.svg')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^siptriage: cannot open .*x\.svg: ENOENT\n$/);
  });
});

describe('siptriage share', () => {
  it('writes a redacted bundle into a folder and says what it masked', async () => {
    const out = join(dir, 'bundle');
    const r = await cli(['share', fixture('15-kamailio-503.pcapng'), '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['call.pcap', 'ladder.mmd', 'ladder.png', 'ladder.svg', 'ladder.txt', 'summary.md', 'trace.txt']);
    expect(r.out).toContain('# SIP failure summary');
    expect(r.err).toContain('siptriage: redaction: phone numbers masked (last two digits kept); IP addresses replaced by pseudonyms');
    expect(r.err).toContain('(--keep-numbers / --keep-addresses turn masking off)');
    for (const name of ['summary.md', 'trace.txt', 'ladder.txt', 'ladder.mmd', 'ladder.svg']) {
      const text = readFileSync(join(out, name), 'utf8');
      expect(text, name).not.toContain('127.0.0.1');
      expect(text, name).not.toMatch(/\+1555555\d{4}/);
    }
  });

  it('keeps numbers when asked, and needs a file', async () => {
    const out = join(dir, 'kept');
    const r = await cli(['share', fixture('02-busy-486.pcap'), '--out', out, '--keep-numbers']);
    expect(r.err).toContain('phone numbers NOT masked');
    expect(readFileSync(join(out, 'trace.txt'), 'utf8')).toContain('+15555550486');
    expect((await cli(['share'])).code).toBe(2);
  });
});
