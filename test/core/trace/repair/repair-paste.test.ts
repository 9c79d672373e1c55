import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../../src/core/sip/parse-message.js';
import { readTrace } from '../../../../src/core/trace/read-trace.js';
import { provablyClean } from '../../../../src/core/trace/repair/clean-scan.js';
import { MIN_WRAP_COLUMN, repairLines, repairPaste } from '../../../../src/core/trace/repair/repair-paste.js';

const fixtures = new URL('../../../fixtures/', import.meta.url);

/** Every clean fixture: tool-printed traces (test/fixtures/traces) and the RFC 4475 torture messages. */
function cleanFixtures(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of readdirSync(new URL('traces/', fixtures))) {
    for (const file of readdirSync(new URL(`traces/${dir}/`, fixtures))) {
      if (file.endsWith('.json') || file.endsWith('.md')) continue;
      out.push({ name: `traces/${dir}/${file}`, text: readFileSync(new URL(`traces/${dir}/${file}`, fixtures), 'latin1') });
    }
  }
  for (const file of readdirSync(new URL('rfc4475/', fixtures))) {
    if (file.endsWith('.dat')) out.push({ name: `rfc4475/${file}`, text: readFileSync(new URL(`rfc4475/${file}`, fixtures), 'latin1') });
  }
  return out;
}

describe('the repair stage on clean traces', () => {
  const all = cleanFixtures();

  it('has fixtures to check', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('returns every clean fixture unchanged, with no repairs recorded', () => {
    for (const f of all) {
      const r = repairPaste(f.text);
      expect(r.repairs, f.name).toEqual([]);
      expect(r.text === f.text, f.name).toBe(true);
    }
  });

  it('proves almost every clean fixture clean in one scan, so only torture messages pay for the full repair', () => {
    const slow = all.filter((f) => !provablyClean(f.text)).map((f) => f.name);
    expect(slow.every((name) => name.startsWith('rfc4475/')), slow.join(', ')).toBe(true);
  });

  it('leaves every clean fixture unchanged on the full repair too, not only through the fast path', () => {
    for (const f of all) expect(repairLines(f.text).repairs, f.name).toEqual([]);
  });

  it('so every clean fixture reads exactly as it would with no repair stage', () => {
    for (const f of all) {
      const read = readTrace(f.text);
      expect(read.repairs, f.name).toBeUndefined();
    }
  });
});

// A valid message with the headers people wrap: long Via, To with push parameters, Contact, Allow.
const token = fc.stringMatching(/^[A-Za-z0-9]{4,24}$/);
const host = fc.stringMatching(/^[a-z]{3,12}\.(?:example\.com|example\.net)$/);
const message = fc
  .record({
    method: fc.constantFrom('INVITE', 'REGISTER', 'OPTIONS', 'SUBSCRIBE'),
    user: token,
    host,
    branch: token,
    tag: token,
    callId: token,
    seq: fc.integer({ min: 1, max: 99999 }),
    params: fc.array(fc.tuple(fc.stringMatching(/^[a-z]{2,10}$/), token), { maxLength: 6 }),
    status: fc.option(fc.constantFrom('486 Busy Here', '503 Service Unavailable', '200 OK'), { nil: undefined }),
  })
  .map((m) => {
    const uri = `sip:${m.user}@${m.host}${m.params.map(([k, v]) => `;${k}=${v}`).join('')}`;
    const start = m.status === undefined ? `${m.method} ${uri} SIP/2.0` : `SIP/2.0 ${m.status}`;
    return [
      start,
      `Via: SIP/2.0/UDP ${m.host}:5060;branch=z9hG4bK${m.branch};rport;received=192.0.2.10`,
      `From: "Alice Example" <sip:alice@${m.host}>;tag=${m.tag}`,
      // A push-notification To URI as Linphone sends it: long enough that any wrap column cuts it twice.
      `To: <${uri};pn-provider=apns.dev;pn-prid=${m.branch.repeat(12).padEnd(180, '0')}:remote&${m.tag.repeat(8)}:voip;pn-param=ABCD1234.org.linphone.phone.remote&voip>`,
      `Call-ID: ${m.callId}@${m.host}`,
      `CSeq: ${m.seq} ${m.method}`,
      `Contact: <sip:${m.user}@192.0.2.10:5060;transport=udp;ob>;expires=3600;+sip.instance="<urn:uuid:${m.branch}>"`,
      'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ];
  });

function headersOf(text: string): { name: string; value: string }[] {
  const parsed = parseSipMessage(repairPaste(text).text);
  if (!parsed.ok) throw new Error('did not parse');
  return parsed.message.headers.map((h) => ({ name: h.name, value: h.value }));
}

// A terminal or mail client cutting every line longer than `column`, with no leading whitespace added.
function hardWrap(lines: readonly string[], column: number): string[] {
  return lines.flatMap((l) => {
    const out: string[] = [];
    let rest = l;
    while (rest.length > column) {
      out.push(rest.slice(0, column));
      rest = rest.slice(column);
    }
    out.push(rest);
    return out;
  });
}

// A mail client or web export wrapping at word boundaries: each line broken at its last blank before `column`,
// the blank kept at the end of the line; a word longer than the column is cut where it reaches it.
function wordWrap(lines: readonly string[], column: number): string[] {
  return lines.flatMap((l) => {
    const out: string[] = [];
    let rest = l;
    while (rest.length > column) {
      const blank = rest.lastIndexOf(' ', column - 1);
      const at = blank > 0 ? blank + 1 : column;
      out.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    out.push(rest);
    return out;
  });
}

describe('the repair stage on damaged pastes (properties)', () => {
  it(`gives back the same headers when a valid message is word-wrapped at any column >= ${MIN_WRAP_COLUMN + 20}`, () => {
    fc.assert(
      fc.property(message, fc.integer({ min: MIN_WRAP_COLUMN + 20, max: 120 }), fc.constantFrom('\r\n', '\n'), (lines, column, eol) => {
        expect(headersOf(wordWrap(lines, column).join(eol))).toEqual(headersOf(lines.join(eol)));
      }),
      { numRuns: 300 },
    );
  });

  // A line like "n:uuid:…" after a cut is told from a compact-form header by the wrap column recurring.
  it(`gives back the same headers when a valid message is hard-wrapped at any column >= ${MIN_WRAP_COLUMN}`, () => {
    fc.assert(
      fc.property(message, fc.integer({ min: MIN_WRAP_COLUMN, max: 120 }), fc.constantFrom('\r\n', '\n'), (lines, column, eol) => {
        const clean = lines.join(eol);
        expect(headersOf(hardWrap(lines, column).join(eol))).toEqual(headersOf(clean));
      }),
      // Unseeded: 60,000 runs pass. The two counterexamples earlier runs found are kept below.
      { numRuns: 300 },
    );
  });

  // Found by unseeded runs of the property above (issue 12), kept as regression cases.
  it('joins a start line cut just before " SIP/2.0" (the last piece starts with the space)', () => {
    const start = 'REGISTER sip:0aaA00aA0A0@aaaa.example.com;aaaaaaaaaa=000aAA;aaaaaaaaa=a0aaaAAaa0A;aaaaaa=0a0aAAa;aaaaaaa=aAAaaAaAAaa0A SIP/2.0';
    const lines = [start, 'Via: SIP/2.0/UDP aaaa.example.com:5060;branch=z9hG4bKAAa0;rport;received=192.0.2.10', 'Call-ID: aa0a@aaaa.example.com', 'CSeq: 1 REGISTER', 'Content-Length: 0', '', ''];
    expect(hardWrap(lines, 59)[2]).toBe(' SIP/2.0');
    expect(headersOf(hardWrap(lines, 59).join('\r\n'))).toEqual(headersOf(lines.join('\r\n')));
  });

  it('joins a cut that leaves a fragment shaped like a known header ("to:voip;…") under a line at the wrap column', () => {
    const tag = '00Aaaaaaaa0aa00Ato';
    const lines = [
      'INVITE sip:AAaAa0@aaa.example.com;aa=aA0000a;aaa=aa00A0A0a;aaaaaa=A0a0A0AaAA00 SIP/2.0',
      `From: "Alice Example" <sip:alice@aaa.example.com>;tag=${tag}`,
      `To: <sip:AAaAa0@aaa.example.com;aa=aA0000a;aaa=aa00A0A0a;aaaaaa=A0a0A0AaAA00;pn-provider=apns.dev;pn-prid=${'00AA'.repeat(12).padEnd(180, '0')}:remote&${tag.repeat(8)}:voip;pn-param=ABCD1234.org.linphone.phone.remote&voip>`,
      'Call-ID: 0a00@aaa.example.com',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ];
    expect(hardWrap(lines, 109)).toContain('to:voip;pn-param=ABCD1234.org.linphone.phone.remote&voip>');
    expect(headersOf(hardWrap(lines, 109).join('\r\n'))).toEqual(headersOf(lines.join('\r\n')));
  });

  it('gives back the same headers when a valid message has doubled line spacing', () => {
    fc.assert(
      fc.property(message, fc.constantFrom('\r\n', '\n'), (lines, eol) => {
        const clean = lines.join(eol);
        const doubled = lines.slice(0, -2).map((l) => `${l}${eol}${eol}`).join('') + eol + eol;
        expect(headersOf(doubled)).toEqual(headersOf(clean));
      }),
      { numRuns: 300 },
    );
  });

  it('never calls a paste clean that the full repair would change (the fast path is only a shortcut)', () => {
    const wild = new URL('wild/', fixtures);
    const pastes = readdirSync(wild, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.txt'))
      .map((f) => readFileSync(new URL(f, wild), 'utf8'));
    const damaged = [...pastes, ...fc.sample(message, 50).flatMap((lines) => [hardWrap(lines, 40).join('\n'), hardWrap(lines, 77).join('\r\n'), lines.join('\n\n')])];
    for (const text of damaged) {
      if (provablyClean(text)) expect(repairLines(text, false).repairs).toEqual([]);
    }
    expect(damaged.filter((t) => !provablyClean(t)).length).toBeGreaterThan(100);
  });

  it('splits a message logged on one line with escaped line breaks (syslog #015#012, a bytes repr)', () => {
    // Kamailio 1395 (test/fixtures/wild/syslog-escaped): the reply logged by syslog with its CR LF escaped.
    const syslog = 'DEBUG: <core> [msg_translator.c:2246]: rest: 420 msg=#012SIP/2.0 500 #015#012Via: SIP/2.0/UDP 37.133.221.218:9773;branch=z9hG4bKPj8d#015#012Call-ID: 36fa4c8e-2e61#015#012CSeq: 9763 INVITE#015#012Content-Length:  0#015#012#015#012';
    const r = repairPaste(syslog);
    expect(r.repairs).toEqual([{ line: 1, what: 'split-escaped-line-breaks' }]);
    expect(r.text.split('\n').slice(1, 4)).toEqual(['SIP/2.0 500 ', 'Via: SIP/2.0/UDP 37.133.221.218:9773;branch=z9hG4bKPj8d', 'Call-ID: 36fa4c8e-2e61']);
    const bytes = "b'SIP/2.0 403 Forbidden\\r\\nCall-ID: abc@host\\r\\nCSeq: 1 REGISTER\\r\\n\\r\\n'";
    expect(repairPaste(bytes).text.split('\n').slice(0, 3)).toEqual(["b'SIP/2.0 403 Forbidden", 'Call-ID: abc@host', 'CSeq: 1 REGISTER']);
    // One escape in a log line is not a logged message.
    const one = 'sent SIP/2.0 200 OK#015#012 to 10.0.0.1';
    expect(repairPaste(one)).toEqual({ text: one, repairs: [] });
  });

  it('joins a request line a log prefixed and a mail client broke before its version (doubango#222)', () => {
    const text = [
      '*INFO: Receiving SIP o/ WebSocket message: INVITE sip:4121210033@10.54.72.139 ',
      'SIP/2.0',
      'Via: SIP/2.0/WS ',
      'df7jal23ls0d.invalid;branch=z9hG4bKW4kiqn7SmsEGPq2MaWZXcJT1dK1iMIda;rport',
      'Call-ID: 307f87bf-f780-2974-5d4d-41153fce22e6',
      'CSeq: 19672 INVITE',
      '',
      '',
    ].join('\n');
    const r = repairPaste(text);
    expect(r.repairs).toEqual([
      { line: 2, what: 'joined-wrapped-line' },
      { line: 4, what: 'joined-wrapped-line' },
    ]);
    expect(r.text.split('\n').slice(0, 2)).toEqual([
      '*INFO: Receiving SIP o/ WebSocket message: INVITE sip:4121210033@10.54.72.139 SIP/2.0',
      'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKW4kiqn7SmsEGPq2MaWZXcJT1dK1iMIda;rport',
    ]);
  });

  it('removes doubled spacing under a status line a browser console quoted after its prefix (sipml5#212)', () => {
    const text = ['"SEND: SIP/2.0 481 Dialog/Transaction Does Not Exist', '', 'Via: SIP/2.0/WS 192.168.0.2:5066;branch=z9hG4bKaDceF82jZpajg', '', 'Call-ID: 799b59cc-3808', '', 'CSeq: 72124182 NOTIFY', '', '', '" SIPml-api.js:1'].join('\n');
    const r = repairPaste(text);
    expect(r.repairs.map((x) => x.what)).toEqual(['removed-doubled-spacing', 'removed-doubled-spacing', 'removed-doubled-spacing']);
    expect(readTrace(text).messages[0]?.cseq).toEqual({ seq: 72124182, method: 'NOTIFY' });
  });

  it('records each repair with the line it was made at', () => {
    const r = repairPaste('INVITE sip:bob@biloxi.example.com SIP/2.0\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4\nbK776asdhds\nCall-ID: a84b4c76e66710\n\n');
    expect(r.repairs).toEqual([{ line: 3, what: 'joined-wrapped-line' }]);
    expect(r.text).toContain('branch=z9hG4bK776asdhds\nCall-ID');
  });

  it('leaves a short log line after the headers alone', () => {
    const text = 'SIP/2.0 200 OK\nCall-ID: a84b4c76e66710\nCSeq: 1 INVITE\n<------------>\n';
    expect(repairPaste(text)).toEqual({ text, repairs: [] });
  });
});
