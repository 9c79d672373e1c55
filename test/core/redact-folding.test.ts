import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderEmbed } from '../../src/adapters/discord/render-embeds.js';
import { renderCard } from '../../src/adapters/slack/render-blocks.js';
import { renderCardText } from '../../src/core/card/render-text.js';
import { createEngine } from '../../src/core/engine.js';
import { Redactor } from '../../src/core/redact.js';
import { buildShareBundle, shareRedaction } from '../../src/core/share/share-bundle.js';
import { triageJson } from '../../src/core/triage/report-json.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';

// RFC 3261 §7.3.1: a header value may be folded onto continuation lines starting with SP or HT, anywhere
// linear whitespace is allowed (LWS = [*WSP CRLF] 1*WSP, §25.1), which includes around "=" and "," in
// digest credentials (§25.1 EQUAL, COMMA; RFC 2617 §3.2.2). Header names are case-insensitive (§7.3.1),
// as are digest parameter names and the scheme (RFC 2617 §1.2); whitespace may precede the colon (HCOLON).
const engine = createEngine(defaultKnowledge());
// At least six different digits, so that a shrunk secret ("0000…") cannot be found by chance in a timestamp.
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n }).filter((s) => new Set(s).size >= 6);
const recase = (word: string) => fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((up) => [...word].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const wsp = fc.constantFrom(' ', '\t', '  ', ' \t');
// Linear whitespace as the RFC allows it: nothing, blanks, or a line break followed by blanks.
const lws = (eol: string) => fc.oneof(fc.constant(''), wsp, wsp.map((w) => `${eol}${w}`), fc.tuple(wsp, wsp).map(([a, b]) => `${a}${eol}${b}`));

interface Case {
  readonly message: string;
  readonly secrets: readonly string[];
}

const credentialCase: fc.Arbitrary<Case> = fc.constantFrom('\r\n', '\n').chain((eol) =>
  fc
    .record({
      name: fc.oneof(recase('Proxy-Authorization'), recase('Authorization')),
      beforeColon: fc.constantFrom('', ' ', '\t'),
      afterColon: lws(eol),
      scheme: recase('Digest'),
      response: hex(32),
      cnonce: hex(16),
      responseKey: recase('response'),
      cnonceKey: recase('cnonce'),
      quoted: fc.boolean(),
      eq: fc.array(lws(eol), { minLength: 8, maxLength: 8 }),
      sep: fc.array(lws(eol), { minLength: 8, maxLength: 8 }),
      order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7, maxLength: 7 }),
      code: fc.constantFrom(403, 407, 401, 503),
    })
    .map((c) => {
      const value = (v: string) => (c.quoted ? `"${v}"` : v);
      const params = [
        ['username', '"alice"'],
        ['realm', '"atlanta.example.com"'],
        ['nonce', '"wf84f1ceczx41ae6cbe5aea9c8e88d359"'],
        ['uri', '"sip:bob@biloxi.example.com"'],
        [c.responseKey, value(c.response)],
        [c.cnonceKey, `"${c.cnonce}"`],
        ['qop', 'auth'],
      ] as const;
      const credentials = c.order
        .map((i, k) => {
          const [key, v] = params[i] ?? ['nc', '00000001'];
          return `${key}${c.eq[k] ?? ''}=${c.eq[k + 1] ?? ''}${v}`;
        })
        .reduce((acc, p, k) => (k === 0 ? p : `${acc}${c.sep[k] ?? ''},${c.sep[k - 1] ?? ''}${p}`), '');
      const header = `${c.name}${c.beforeColon}:${c.afterColon === '' ? ' ' : c.afterColon}${c.scheme} ${credentials}`;
      const invite = ['INVITE sip:bob@biloxi.example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds8', 'Max-Forwards: 70', 'To: Bob <sip:bob@biloxi.example.com>', 'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774', 'Call-ID: a84b4c76e66710', 'CSeq: 2 INVITE', header, 'Contact: <sip:alice@192.0.2.4>', 'Content-Length: 0', '', ''].join(eol);
      const answer = ['SIP/2.0 ' + String(c.code) + ' Refused', 'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds8', 'To: Bob <sip:bob@biloxi.example.com>;tag=99', 'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774', 'Call-ID: a84b4c76e66710', 'CSeq: 2 INVITE', 'Content-Length: 0', '', ''].join(eol);
      return { message: invite + answer, secrets: [c.response, c.cnonce] };
    }),
);

/** Everything a person can be shown of a trace: triage text, JSON, Slack and Discord cards, every share file. */
function everyOutput(trace: string): string[] {
  const answer = engine.triage(trace);
  const cards = [answer.summary, ...answer.calls];
  const bundle = buildShareBundle(answer.report, { redact: shareRedaction() });
  const kept = buildShareBundle(answer.report, { redact: shareRedaction({ numbers: true, addresses: true }) });
  return [
    cards.map((c) => renderCardText(c, { color: false })).join('\n'),
    JSON.stringify(triageJson(answer.report)),
    JSON.stringify(cards.map((c) => renderCard(c))),
    JSON.stringify(cards.map((c) => renderEmbed(c))),
    ...[...bundle.files, ...kept.files].map((f) => (typeof f.content === 'string' ? f.content : '')),
    new Redactor().text(trace),
  ];
}

function leaks(outputs: readonly string[], secrets: readonly string[]): string[] {
  return secrets.filter((s) => outputs.some((o) => o.toLowerCase().includes(s.toLowerCase())));
}

describe('credentials folded, re-cased and re-spaced every way RFC 3261 allows', () => {
  it('never reach any output, and the call is still read', () => {
    fc.assert(
      fc.property(credentialCase, ({ message, secrets }) => {
        const outputs = everyOutput(message);
        expect(leaks(outputs, secrets)).toEqual([]);
        expect(engine.triage(message).report.calls.length).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('the example from the issue: response= folded onto lines of its own', () => {
    const trace = 'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK1\r\nTo: <sip:bob@biloxi.example.com>\r\nFrom: <sip:alice@atlanta.example.com>;tag=1\r\nCall-ID: fold-1\r\nCSeq: 2 INVITE\r\nProxy-Authorization: Digest username="alice",\r\n realm="atlanta.example.com",\r\n response\r\n =\r\n "42ce3cef44b22f50c6a6071bc8deadbe"\r\nContent-Length: 0\r\n\r\nSIP/2.0 403 Forbidden\r\nVia: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK1\r\nTo: <sip:bob@biloxi.example.com>;tag=2\r\nFrom: <sip:alice@atlanta.example.com>;tag=1\r\nCall-ID: fold-1\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n';
    expect(leaks(everyOutput(trace), ['42ce3cef44b22f50c6a6071bc8deadbe'])).toEqual([]);
    // The redacted trace keeps the header, unfolded onto one line, with the rest of it readable.
    const shared = new Redactor().text(trace.replace(/\r\n/g, '\n'));
    expect(shared).toContain('Proxy-Authorization: Digest username="alice", realm="atlanta.example.com", response="[redacted]"');
  });
});
