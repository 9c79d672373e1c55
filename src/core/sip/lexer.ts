/**
 * Small lexing helpers shared by the header parsers. They tolerate the linear whitespace RFC 3261 §25.1
 * allows around separators ("; tag = x", "SIP / 2.0 / UDP") and never throw.
 */

/** Splits a header value on commas that are outside quoted strings and <…> (RFC 3261 §7.3.1). */
export function splitList(value: string): string[] {
  if (!value.includes(',')) {
    const only = value.trim();
    return only === '' ? [] : [only];
  }
  const parts: string[] = [];
  let quoted = false;
  let angle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (quoted) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) quoted = false;
    } else if (ch === 0x22) quoted = true;
    else if (ch === 0x3c /* < */) angle = true;
    else if (ch === 0x3e /* > */) angle = false;
    else if (ch === 0x2c /* , */ && !angle) {
      const part = value.slice(start, i).trim();
      if (part !== '') parts.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

/** Splits on a separator outside quoted strings. */
export function splitOutsideQuotes(value: string, separator: string): string[] {
  const sep = separator.charCodeAt(0);
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (quoted) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) quoted = false;
    } else if (ch === 0x22) quoted = true;
    else if (ch === sep) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** Removes surrounding double quotes and backslash escapes (RFC 3261 §25.1 quoted-pair). */
export function unquote(value: string): string {
  const v = value.trim();
  if (v.length < 2 || v.charCodeAt(0) !== 0x22 || v.charCodeAt(v.length - 1) !== 0x22) return v;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Parameter names are case-insensitive; values keep their case. A flag parameter has the value ''. */
export type Params = ReadonlyMap<string, string>;

/** Parses ";name=value;flag" (the leading separator optional) into lower-case names. */
export function parseParams(text: string, separator = ';'): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of splitOutsideQuotes(text, separator)) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    const value = eq === -1 ? '' : unquote(part.slice(eq + 1));
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

/** Parses "Digest realm=\"x\", nonce=\"y\"" style comma-separated auth-params (RFC 3261 §25.1, RFC 7616). */
export function parseAuthParams(text: string): Map<string, string> {
  return parseParams(text, ',');
}

/** A non-negative decimal integer, or undefined: "0068" is 68, "-1", "1e3" and "" are not numbers. */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || t.length > 16 || !/^\d+$/.test(t)) return undefined;
  return Number(t);
}
