import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine.js';
import { RenderError } from '../../src/errors/errors.js';
import { buildLadder } from '../../src/core/ladder/build-ladder.js';
import { renderLadderSvg } from '../../src/core/ladder/render-ladder-svg.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import { svgToPng } from '../../src/render/svg-to-png.js';
import { decodePng } from './png-reader.js';

const capture = readFileSync(new URL('../fixtures/captures/14-kamailio-486.pcap', import.meta.url));
const svg = renderLadderSvg(buildLadder(createEngine(defaultKnowledge()).triageBytes(capture).report));
const size = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg);

describe('the ladder PNG (resvg)', () => {
  const png = decodePng(svgToPng(svg));

  it('is a PNG of twice the SVG size, with its chunks in order', () => {
    expect(png.width).toBe(Number(size?.[1]) * 2);
    expect(png.height).toBe(Number(size?.[2]) * 2);
    expect(png.chunks[0]).toBe('IHDR');
    expect(png.chunks).toContain('IDAT');
    expect(png.chunks[png.chunks.length - 1]).toBe('IEND');
  });

  it('is drawn: white background, dark lifelines and text, and the red of the highlighted failure', () => {
    let white = 0;
    let dark = 0;
    let red = 0;
    for (let y = 0; y < png.height; y += 2) {
      for (let x = 0; x < png.width; x += 2) {
        const [r, g, b, a] = png.pixel(x, y);
        if (a === 255 && r > 245 && g > 245 && b > 245) white++;
        else if (r < 90 && g < 100 && b < 110) dark++;
        // #c62828, the failure colour, anti-aliased a little.
        if (r > 170 && g < 80 && b < 80) red++;
      }
    }
    const total = Math.ceil(png.height / 2) * Math.ceil(png.width / 2);
    expect(white / total).toBeGreaterThan(0.5);
    expect(dark).toBeGreaterThan(500);
    expect(red).toBeGreaterThan(200);
  });

  it('draws text, not just lines: the title row has many ink pixels', () => {
    // The title "Call 1 of 1: INVITE → 486 Busy Here (failed)" sits in the first 40 SVG units.
    let ink = 0;
    for (let y = 0; y < 80; y++) for (let x = 0; x < png.width; x++) if (png.pixel(x, y)[1] < 128) ink++;
    expect(ink).toBeGreaterThan(1000);
  });

  it('throws a RenderError, not a resvg error, on a document it cannot draw', () => {
    expect(() => svgToPng('<svg this is not xml')).toThrow(RenderError);
  });
});
