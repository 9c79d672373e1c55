import { svgNumber, svgText, type TextStyle } from '../svg/svg-text.js';
import type { DigestModel } from './digest-model.js';
import { clock, day } from './stats-format.js';

// The font the container ships (Dockerfile) and the ladder uses, so the PNG looks the same everywhere.
const FONT = "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace";
export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 340;
const PLOT = { left: 60, right: 20, top: 62, bottom: 46 } as const;
export const CLASS_COLORS = { '4xx': '#f9a825', '5xx': '#c62828', '6xx': '#6a1b9a', other: '#78909c' } as const;
const COLORS = { axis: '#37474f', grid: '#eceff1', text: '#212121', muted: '#616161', baseline: '#1565c0' } as const;
const STACK = ['4xx', '5xx', '6xx', 'other'] as const;

/**
 * Failures per hour over the digest's day as stacked bars by class, with the mean of the same hour over the
 * days of history as a line. A standalone SVG string (no DOM), deterministic for snapshot tests; the service
 * rasterises it to PNG at the edge (src/render/svg-to-png.ts).
 */
export function renderDigestChartSvg(m: DigestModel, timeZone: string): string {
  const w = CHART_WIDTH;
  const h = CHART_HEIGHT;
  const plotW = w - PLOT.left - PLOT.right;
  const plotH = h - PLOT.top - PLOT.bottom;
  const bottom = PLOT.top + plotH;
  const slots = Math.max(1, m.hours.length);
  const slot = plotW / slots;
  const peak = Math.max(1, ...m.hours.map((b) => STACK.reduce((n, c) => n + b.byClass[c], 0)), ...m.hours.map((b) => b.baseline ?? 0));
  const { max, step } = niceScale(peak);
  const y = (v: number): number => bottom - (v / max) * plotH;
  const out: string[] = [];

  const title = `SIP failures per hour, ${clock(m.period.from, timeZone)} ${day(m.period.from, timeZone)} to ${clock(Math.min(m.period.to, m.period.asOf ?? m.period.to), timeZone)} ${day(Math.min(m.period.to, m.period.asOf ?? m.period.to), timeZone)} (${timeZone})`;
  // Long zone names must not run off the picture: the title shrinks to fit (0.61 em per monospace glyph).
  const titleSize = Math.min(13, Math.floor((w - PLOT.left - 10) / ([...title].length * 0.61)));
  out.push(text(PLOT.left, 22, title, { weight: 'bold', size: titleSize }));
  out.push(...legend(m.historyDays, PLOT.left, 42));

  for (let v = 0; v <= max; v += step) {
    out.push(`<line x1="${PLOT.left}" y1="${n(y(v))}" x2="${w - PLOT.right}" y2="${n(y(v))}" stroke="${v === 0 ? COLORS.axis : COLORS.grid}"/>`);
    out.push(text(PLOT.left - 6, y(v) + 4, String(v), { anchor: 'end', fill: COLORS.muted }));
  }
  out.push(`<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${bottom}" stroke="${COLORS.axis}"/>`);

  m.hours.forEach((b, i) => {
    const x = PLOT.left + i * slot + slot * 0.15;
    let base = 0;
    for (const c of STACK) {
      const v = b.byClass[c];
      if (v === 0) continue;
      out.push(`<rect x="${n(x)}" y="${n(y(base + v))}" width="${n(slot * 0.7)}" height="${n(y(base) - y(base + v))}" fill="${CLASS_COLORS[c]}"><title>${c}: ${v}</title></rect>`);
      base += v;
    }
    if (i % 3 === 0) out.push(text(PLOT.left + i * slot + slot / 2, bottom + 16, clock(b.hour, timeZone).slice(0, 2), { anchor: 'middle', fill: COLORS.muted }));
  });
  out.push(text(PLOT.left + plotW / 2, h - 8, `hour of day (${timeZone})`, { anchor: 'middle', fill: COLORS.muted, size: 11 }));
  out.push(text(14, PLOT.top + plotH / 2, 'failed calls', { anchor: 'middle', fill: COLORS.muted, size: 11, rotate: true }));

  const points = m.hours.flatMap((b, i) => (b.baseline === null ? [] : [`${n(PLOT.left + i * slot + slot / 2)},${n(y(b.baseline))}`]));
  if (points.length > 1) {
    out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${COLORS.baseline}" stroke-width="2" stroke-dasharray="6 3"/>`);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${FONT}" font-size="11">`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

function legend(historyDays: number, x0: number, y0: number): string[] {
  const out: string[] = [];
  let x = x0;
  for (const c of ['4xx', '5xx', '6xx'] as const) {
    out.push(`<rect x="${x}" y="${y0 - 9}" width="10" height="10" fill="${CLASS_COLORS[c]}"/>`);
    out.push(text(x + 14, y0, c));
    x += 58;
  }
  out.push(`<line x1="${x}" y1="${y0 - 4}" x2="${x + 22}" y2="${y0 - 4}" stroke="${COLORS.baseline}" stroke-width="2" stroke-dasharray="6 3"/>`);
  out.push(text(x + 28, y0, historyDays === 0 ? 'usual per hour: no history yet' : `usual per hour (mean of ${historyDays} day${historyDays === 1 ? '' : 's'})`));
  return out;
}

/** An axis maximum and step of 1, 2 or 5 × 10^k giving four to six gridlines. */
export function niceScale(peak: number): { max: number; step: number } {
  const raw = peak / 5;
  const mag = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  return { max: Math.ceil(peak / step) * step, step };
}

function text(x: number, y: number, content: string, s: TextStyle = {}): string {
  return svgText(x, y, content, s, COLORS.text);
}

const n = svgNumber;
