/**
 * Messages logged on one line with their line breaks escaped: syslog's octal escapes of control characters
 * (rsyslog/syslog-ng write CR LF as `#015#012`, Kamailio's `msg=#012SIP/2.0 500 #015#012Via: …`), or a
 * bytes repr / JSON string with a literal `\r\n`. Only a line that holds a SIP version and at least two escaped
 * breaks is split, so a log line that merely mentions one escape stays as it is.
 */
const ESCAPED = /#015#012|#012|\\r\\n|\\n/g;
const MIN_BREAKS = 2;

export interface UnescapedLines {
  readonly lines: readonly string[];
  /** 0-based indexes of the input lines that were split. */
  readonly split: readonly number[];
}

/** Cheap test for the whole paste, so a clean trace never pays for the per-line scan. */
export function mayHaveEscapedBreaks(input: string): boolean {
  return input.includes('#015#012') || input.includes('\\r\\n');
}

export function unescapeBreaks(lines: readonly string[]): UnescapedLines | undefined {
  const out: string[] = [];
  const split: number[] = [];
  lines.forEach((line, i) => {
    if (!line.includes('SIP/2.0') || countBreaks(line) < MIN_BREAKS) {
      out.push(line);
      return;
    }
    split.push(i);
    const cr = line.endsWith('\r') ? '\r' : '';
    for (const piece of (cr === '' ? line : line.slice(0, -1)).split(ESCAPED)) out.push(`${piece}${cr}`);
  });
  return split.length === 0 ? undefined : { lines: out, split };
}

function countBreaks(line: string): number {
  let n = 0;
  for (let at = line.indexOf('#015#012'); at !== -1; at = line.indexOf('#015#012', at + 8)) n++;
  for (let at = line.indexOf('\\r\\n'); at !== -1; at = line.indexOf('\\r\\n', at + 4)) n++;
  return n;
}
