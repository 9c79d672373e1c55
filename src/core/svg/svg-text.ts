/** SVG text pieces shared by the ladder and the digest chart: both are drawn as strings, in core. */

export interface TextStyle {
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'bold' | 'normal';
  readonly fill?: string;
  readonly size?: number;
  /** Turned a quarter left about its own point (a y-axis label). */
  readonly rotate?: boolean;
}

/** A <text> element; the defaults (start anchor, normal weight, inherited size) are left out of the markup. */
export function svgText(x: number, y: number, content: string, style: TextStyle, defaultFill: string): string {
  const attrs = [
    `x="${svgNumber(x)}"`,
    `y="${svgNumber(y)}"`,
    style.anchor === undefined || style.anchor === 'start' ? '' : `text-anchor="${style.anchor}"`,
    style.weight === 'bold' ? 'font-weight="bold"' : '',
    `fill="${style.fill ?? defaultFill}"`,
    style.size === undefined ? '' : `font-size="${style.size}"`,
    style.rotate === true ? `transform="rotate(-90 ${svgNumber(x)} ${svgNumber(y)})"` : '',
  ].filter((a) => a !== '');
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

/** Coordinates with at most one decimal: enough for a picture, and stable in snapshots. */
export function svgNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

export function escapeXml(s: string): string {
  // Characters XML 1.0 forbids (§2.2) are dropped: a hostile header must not make the document invalid.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
