import type { Logger } from '../ports/logger.js';
import { svgToPng } from '../render/svg-to-png.js';

/**
 * Pixels a chat ladder may have. resvg's time grows with the pixel count: a tall capped ladder at zoom 2 is
 * 12 Mpx and about 300 ms of CPU, at this budget a little over half of that.
 */
export const MAX_CHAT_PIXELS = 4_000_000;

/** Draws an SVG at a zoom: in-thread with resvg, or on a triage worker (Slack). */
export type Rasterize = (svg: string, scale: number) => Uint8Array | Promise<Uint8Array>;

const inThread: Rasterize = (svg, scale) => svgToPng(svg, { scale });

/**
 * Zoom for a chat picture: 2 (sharp on high-density screens) while the picture stays within the pixel budget,
 * less for tall ladders, never under 1 (text at its drawn size stays readable).
 */
export function chatScale(svg: string): number {
  const m = /^<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  if (m === null) return 2;
  const area = Number(m[1]) * Number(m[2]);
  if (!(area > 0)) return 2;
  return Math.max(1, Math.min(2, Math.sqrt(MAX_CHAT_PIXELS / area)));
}

/**
 * The ladder SVG as PNG for a chat answer, or undefined when it cannot be drawn: the text answer is already
 * out by then, so a failed picture is one log line, never a failed answer.
 */
export async function ladderPng(svg: string, log: Logger, rasterize: Rasterize = inThread): Promise<Uint8Array | undefined> {
  try {
    return await rasterize(svg, chatScale(svg));
  } catch (err) {
    log.warn({ err }, 'ladder image not drawn; the text answer stands');
    return undefined;
  }
}
