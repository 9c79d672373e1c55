/** When a count is a spike, per channel: at least `minCount` failures and `ratio` times the usual count. */
export interface Thresholds {
  readonly minCount: number;
  readonly ratio: number;
}

export function isSpike(count: number, usual: number, t: Thresholds): boolean {
  return count >= t.minCount && count > usual && count >= t.ratio * usual;
}

// Hysteresis: an alert resolves only well below the level that raised it, so a rate hovering at the
// threshold does not post and resolve over and over.
export function isResolved(count: number, usual: number, t: Thresholds): boolean {
  return count < Math.max(t.minCount, t.ratio * usual) / 2;
}

/** Whether `now` falls in [from, to) hours of the day in `timeZone`; 22-07 spans midnight. */
export function inQuietHours(now: number, hours: { readonly from: number; readonly to: number } | undefined, timeZone: string): boolean {
  if (hours === undefined) return false;
  const hour = hourOfDay(now, timeZone);
  return hours.from < hours.to ? hour >= hours.from && hour < hours.to : hour >= hours.from || hour < hours.to;
}

const formats = new Map<string, Intl.DateTimeFormat>();

export function hourOfDay(now: number, timeZone: string): number {
  let f = formats.get(timeZone);
  if (f === undefined) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' })));
  return Number(f.format(now)) % 24;
}
