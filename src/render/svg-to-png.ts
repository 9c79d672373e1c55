import { Resvg } from '@resvg/resvg-js';
import { RenderError } from '../errors/errors.js';

export interface PngOptions {
  /** Pixels per SVG unit; 2 keeps text sharp on high-density screens, where chat clients show images. */
  readonly scale?: number;
  /** Font files to use instead of (or where there are no) system fonts, e.g. in a slim container. */
  readonly fontFiles?: readonly string[];
}

/**
 * Rasterises an SVG (a ladder, a digest chart) to PNG with resvg (a native binding, hence here at the edge and not in core). The
 * ladder SVG names DejaVu Sans Mono first; system fonts are loaded so that it, or another monospace font,
 * is found. Throws RenderError when resvg cannot draw the document.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  try {
    const resvg = new Resvg(svg, {
      background: '#ffffff',
      fitTo: { mode: 'zoom', value: options.scale ?? 2 },
      font: {
        loadSystemFonts: true,
        defaultFontFamily: 'DejaVu Sans Mono',
        monospaceFamily: 'DejaVu Sans Mono',
        ...(options.fontFiles === undefined ? {} : { fontFiles: [...options.fontFiles] }),
      },
    });
    return new Uint8Array(resvg.render().asPng());
  } catch (err) {
    throw new RenderError('could not draw the SVG as PNG', { cause: err });
  }
}
