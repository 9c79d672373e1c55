import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, niceScale, renderDigestChartSvg } from '../../../src/core/stats/digest-chart-svg.js';
import { buildDigest } from '../../../src/core/stats/digest-model.js';
import { svgToPng } from '../../../src/render/svg-to-png.js';
import { decodePng } from '../../render/png-reader.js';
import { PERIOD, ROWS } from './digest-fixture.js';

const model = buildDigest({ period: PERIOD, rows: ROWS });
const svg = renderDigestChartSvg(model, 'UTC');

describe('digest chart SVG', () => {
  it('matches the reviewed snapshot for the fixture day', async () => {
    await expect(svg).toMatchFileSnapshot('./__snapshots__/digest-chart.svg');
  });

  it('stacks a bar per class for each hour that failed, and draws the usual count as a line', () => {
    // 10:00 (4xx 5 + 5xx 10), 14:00 (5xx 40), 20:00 (4xx 4 + 6xx 1): five rectangles with a tooltip each.
    expect([...svg.matchAll(/<rect [^>]*><title>(\w+): (\d+)<\/title>/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['4xx 5', '5xx 10', '5xx 40', '4xx 4', '6xx 1']);
    const line = /<polyline points="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(line).toHaveLength(24);
    expect(svg).toContain('usual per hour (mean of 7 days)');
    expect(svg).toContain('>hour of day (UTC)</text>');
  });

  it('labels the axes on a 1-2-5 scale', () => {
    expect(niceScale(40)).toEqual({ max: 40, step: 10 });
    expect(niceScale(7)).toEqual({ max: 8, step: 2 });
    expect(niceScale(1234)).toEqual({ max: 1500, step: 500 });
    for (const tick of ['0', '10', '20', '30', '40']) expect(svg).toContain(`text-anchor="end" fill="#616161">${tick}</text>`);
  });

  it('keeps a long time zone name inside the picture', () => {
    const long = renderDigestChartSvg(model, 'America/Argentina/ComodRivadavia');
    const title = /<text [^>]*font-size="(\d+)">SIP failures per hour/.exec(long);
    const size = Number(title?.[1]);
    const text = /font-weight="bold"[^>]*>([^<]+)</.exec(long)?.[1] ?? '';
    expect(size).toBeLessThan(13);
    expect(60 + text.length * size * 0.61).toBeLessThanOrEqual(CHART_WIDTH);
  });
});

describe('digest chart PNG (resvg)', () => {
  const bytes = svgToPng(svg);
  const png = decodePng(bytes);

  it('decodes as a PNG of twice the SVG size and a chat-friendly weight', () => {
    expect(png.width).toBe(CHART_WIDTH * 2);
    expect(png.height).toBe(CHART_HEIGHT * 2);
    expect(png.chunks[0]).toBe('IHDR');
    expect(png.chunks[png.chunks.length - 1]).toBe('IEND');
    // Slack and Discord take far larger files; a chart this size should stay small to post fast.
    expect(bytes.byteLength).toBeGreaterThan(5_000);
    expect(bytes.byteLength).toBeLessThan(500_000);
  });

  it('is drawn: mostly white, with the red of the 5xx bars, the amber of 4xx and the blue baseline', () => {
    let white = 0;
    let red = 0;
    let amber = 0;
    let blue = 0;
    for (let y = 0; y < png.height; y += 2) {
      for (let x = 0; x < png.width; x += 2) {
        const [r, g, b] = png.pixel(x, y);
        if (r > 245 && g > 245 && b > 245) white++;
        if (r > 180 && g < 60 && b < 60) red++; // #c62828
        if (r > 230 && g > 150 && g < 190 && b < 70) amber++; // #f9a825
        if (r < 40 && g > 80 && g < 120 && b > 170) blue++; // #1565c0
      }
    }
    const total = Math.ceil(png.height / 2) * Math.ceil(png.width / 2);
    expect(white / total).toBeGreaterThan(0.6);
    expect(red).toBeGreaterThan(1000);
    expect(amber).toBeGreaterThan(100);
    expect(blue).toBeGreaterThan(100);
  });

  it('draws text: the title row has ink', () => {
    let ink = 0;
    for (let y = 20; y < 56; y++) for (let x = 0; x < png.width; x++) if (png.pixel(x, y)[1] < 128) ink++;
    expect(ink).toBeGreaterThan(1000);
  });
});
