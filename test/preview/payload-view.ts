import type { CapturedCase, PreviewImage } from '../../scripts/preview/payloads.js';
import { pngSize } from '../../scripts/preview/payloads.js';

/** A captured case as its snapshot holds it: the payloads as sent, pictures by name and size instead of bytes. */
export function snapshotView(c: CapturedCase): unknown {
  const image = (i: PreviewImage) => ({ filename: i.filename, ...(i.title === undefined ? {} : { title: i.title }), alt: i.alt, ...pngSize(i.png) });
  return {
    case: c.case,
    slack: c.slack.map((p) => ({ ...p, images: p.images.map(image) })),
    discord: c.discord.map((p) => ({ ...p, images: p.images.map(image) })),
  };
}
