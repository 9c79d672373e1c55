import type { Logger } from '../app/logger.js';
import { svgToPng } from '../render/svg-to-png.js';

/**
 * The ladder SVG as PNG for a chat answer, or undefined when resvg cannot draw it: the text answer is already
 * out by then, so a failed picture is one log line, never a failed answer.
 */
export function ladderPng(svg: string, log: Logger, rasterize: (svg: string) => Uint8Array = svgToPng): Uint8Array | undefined {
  try {
    return rasterize(svg);
  } catch (err) {
    log.warn({ err }, 'ladder image not drawn; the text answer stands');
    return undefined;
  }
}
