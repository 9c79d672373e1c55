/**
 * Finds a timestamp in a log line. Traces need times only relative to each other, so a time of day without
 * a date, or a syslog date without a year, still orders messages and measures delays within a day.
 */
const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const ISO = /(\d{4})[-/](\d{2})[-/](\d{2})[ T\t](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?/;
const SYSLOG = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+(\d{1,2}),?\s+(?:(\d{4})\s+)?(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/i;
const TIME_OF_DAY = /\b(\d{2}):(\d{2}):(\d{2})[.,](\d{1,9})\b/;
const EPOCH = /\b(1[0-9]{9})\.(\d{3,9})\b/;

function fraction(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(`0.${digits}`) * 1000;
}

/** Milliseconds since the epoch (UTC assumed where the line gives no zone), or undefined. */
export function parseTimestamp(line: string): number | undefined {
  let m = ISO.exec(line);
  if (m) {
    const base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    const zone = m[8];
    let offset = 0;
    if (zone !== undefined && zone !== 'Z' && zone !== 'UTC') {
      const z = /([+-])(\d{2}):?(\d{2})/.exec(zone);
      if (z) offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    }
    return base - offset + fraction(m[7]);
  }
  m = SYSLOG.exec(line);
  if (m) {
    const month = MONTHS[(m[1] ?? '').slice(0, 3).toLowerCase()] ?? 0;
    const year = m[3] === undefined ? 2000 : Number(m[3]);
    return Date.UTC(year, month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) + fraction(m[7]);
  }
  m = EPOCH.exec(line);
  if (m) return Number(m[1]) * 1000 + fraction(m[2]);
  m = TIME_OF_DAY.exec(line);
  if (m) return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + fraction(m[4]);
  return undefined;
}
