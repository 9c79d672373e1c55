import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/core/engine.js';
import { buildLadder } from '../../../src/core/ladder/build-ladder.js';
import { renderLadderMermaid } from '../../../src/core/ladder/render-ladder-mermaid.js';
import { renderLadderSvg } from '../../../src/core/ladder/render-ladder-svg.js';
import { escapeXml } from '../../../src/core/svg/svg-text.js';
import { renderLadderText } from '../../../src/core/ladder/render-ladder-text.js';
import { defaultKnowledge } from '../../../src/knowledge/load-knowledge.js';

const engine = createEngine(defaultKnowledge());
const ladderOf = (capture: string): ReturnType<typeof buildLadder> =>
  buildLadder(engine.triageBytes(readFileSync(new URL(`../../fixtures/captures/${capture}`, import.meta.url))).report);

describe('text ladder', () => {
  it('draws the call through Kamailio line by line: three hosts, both legs, the failure and its request marked', () => {
    const lines = renderLadderText(ladderOf('14-kamailio-486.pcap')).split('\n');
    expect(lines).toEqual([
      'Call 1 of 1: INVITE → 486 Busy Here (failed)',
      'Call-ID 1-c18c279da0106277@uac.example.com',
      '',
      '             SIPp/3.6.1                                         kamailio            SIPp/3.6.1',
      '           127.0.0.1:5214                                    127.0.0.1:5160       127.0.0.1:5114',
      '                  │                                                 │                    │',
      ' +0.000 s         │══════════════════ INVITE (SDP) ════════════════>│                    │  ✖ failed request',
      ' +0.008 s         │<── 100 trying -- your call is important to us ──│                    │',
      ' +0.010 s         │                                                 │═══ INVITE (SDP) ══>│  ✖ failed request',
      ' +0.011 s         │                                                 │<─── 100 Trying ────│',
      ' +0.115 s         │                                                 │<─── 180 Ringing ───│',
      ' +0.116 s         │<───────────────── 180 Ringing ──────────────────│                    │',
      ' +1.620 s         │                                                 │<══ 486 Busy Here ══│  ✖ failure',
      ' +1.621 s         │                                                 │──────── ACK ──────>│',
      ' +1.621 s         │<════════════════ 486 Busy Here ═════════════════│                    │  ✖ failure',
      ' +1.622 s         │────────────────────── ACK ─────────────────────>│                    │',
    ]);
  });

  it('marks the retransmitted 503 with a dotted line', () => {
    const lines = renderLadderText(ladderOf('03-unavailable-503.pcapng')).split('\n');
    expect(lines.slice(6)).toEqual([
      ' +0.000 s         │════════ INVITE (SDP) ═══════>│  ✖ failed request',
      ' +0.001 s         │<══ 503 Service Unavailable ══│  ✖ failure',
      ' +0.503 s         │<┄┄ 503 Service Unavailable ┄┄│  retransmission',
      ' +1.204 s         │───────────── ACK ───────────>│',
    ]);
  });

  it('marks every transmission of an INVITE nobody answered', () => {
    const lines = renderLadderText(ladderOf('09-timeout-no-answer.pcapng')).split('\n');
    expect(lines[0]).toBe('Call 1 of 1: INVITE → no final response (no final response)');
    const arrows = lines.filter((l) => l.includes('INVITE (SDP)'));
    expect(arrows).toHaveLength(7);
    expect(arrows[0]).toMatch(/^ \+0\.000 s .*  ✖ no answer$/);
    expect(arrows.slice(1).every((l) => l.endsWith('  retransmission, ✖ no answer'))).toBe(true);
    expect(arrows.map((l) => l.slice(0, 10).trim())).toEqual(['+0.000 s', '+0.503 s', '+1.506 s', '+3.511 s', '+7.514 s', '+15.519 s', '+31.522 s']);
  });

  it('colours failures red and retransmissions dim only when asked', () => {
    const ladder = ladderOf('03-unavailable-503.pcapng');
    expect(renderLadderText(ladder)).not.toContain('\u001b[');
    const coloured = renderLadderText(ladder, { color: true }).split('\n');
    expect(coloured.find((l) => l.includes('failure'))).toMatch(/^\u001b\[31m.*\u001b\[0m$/);
    expect(coloured.find((l) => l.includes('retransmission'))).toMatch(/^\u001b\[2m/);
  });
});

describe('SVG ladder', () => {
  it('makes the image wide enough for each call title, which is drawn larger than the rest', () => {
    // One call through a B2BUA: its title is the legs' verdict, longer than any arrow or host box.
    const legs = readFileSync(new URL('../../fixtures/legs/b2bua-xcid-503.txt', import.meta.url), 'utf8');
    const svg = renderLadderSvg(buildLadder(engine.triage(legs).report));
    const width = Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
    const titles = [...svg.matchAll(/font-size="14"[^>]*>([^<]*)</g)].map((m) => m[1] ?? '');
    expect(titles.length).toBeGreaterThan(0);
    // DejaVu Sans Mono advances 0.602 em: 14 px text needs 8.4 px a character, plus the 16 px margin.
    for (const t of titles) expect(width).toBeGreaterThanOrEqual(16 + [...t].length * 14 * 0.602);
  });

  it('matches the reviewed snapshot of the Kamailio call', async () => {
    await expect(renderLadderSvg(ladderOf('14-kamailio-486.pcap'))).toMatchFileSnapshot('./__snapshots__/14-kamailio-486.svg');
  });

  it('is a well-formed document whatever the headers hold', () => {
    const svg = renderLadderSvg(ladderOf('02-busy-486.pcap'));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(escapeXml('<a href="x">&\'\u0007')).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });
});

describe('Mermaid ladder', () => {
  it('writes a sequenceDiagram with the failing exchange in red rects', () => {
    expect(renderLadderMermaid(ladderOf('02-busy-486.pcap'))).toBe(
      [
        'sequenceDiagram',
        '  participant H1 as SIPp/3.6.1 127.0.0.1:5202',
        '  participant H2 as SIPp/3.6.1 127.0.0.1:5102',
        '  Note over H1,H2: Call 1 of 1: INVITE → 486 Busy Here (failed), Call-ID 1-ff1a57597bee484b@uac.example.com',
        '  rect rgb(253, 236, 234)',
        '    H1->>H2: +0.000 s INVITE (SDP) (failed request)',
        '  end',
        '  H2-->>H1: +0.001 s 100 Trying',
        '  H2-->>H1: +0.105 s 180 Ringing',
        '  rect rgb(253, 236, 234)',
        '    H2-->>H1: +1.608 s 486 Busy Here (failure)',
        '  end',
        '  H1->>H2: +1.608 s ACK',
        '',
      ].join('\n'),
    );
  });
});

describe('every fixture trace, in every pasted format', () => {
  it('draws a ladder (text, SVG, Mermaid) with one arrow per message', async () => {
    const { readdirSync } = await import('node:fs');
    const root = new URL('../../fixtures/traces/', import.meta.url);
    let drawn = 0;
    for (const format of readdirSync(root)) {
      for (const file of readdirSync(new URL(`${format}/`, root)).filter((f) => !f.endsWith('.json'))) {
        const answer = engine.triageBytes(readFileSync(new URL(`${format}/${file}`, root)), file);
        if (answer.report.entries.length === 0) continue;
        const ladder = buildLadder(answer.report, { maxArrows: 1000 });
        expect(ladder.calls.reduce((n, c) => n + c.arrows.length, 0), `${format}/${file}`).toBe(answer.report.entries.length);
        expect(renderLadderText(ladder).split('\n').length).toBeGreaterThan(answer.report.entries.length);
        expect(renderLadderSvg(ladder)).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
        expect(renderLadderMermaid(ladder).startsWith('sequenceDiagram\n')).toBe(true);
        drawn++;
      }
    }
    expect(drawn).toBeGreaterThan(200);
  });
});
