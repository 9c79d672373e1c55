/** What `/sip alerts …` asks for. Spike alerts are per channel; these change the channel's settings. */
export type AlertsCommand =
  | { readonly action: 'status' }
  | { readonly action: 'subscribe' }
  | { readonly action: 'unsubscribe' }
  /** The channel's own minimum count and ratio; `reset` goes back to the configured defaults. */
  | { readonly action: 'threshold'; readonly minCount?: number; readonly ratio?: number; readonly reset?: true }
  /** Quiet hours "22-07" (from 22:00 to 06:59); `hours` undefined turns them off for the channel. */
  | { readonly action: 'quiet'; readonly hours?: { readonly from: number; readonly to: number } }
  /** An alert's buttons: say who is on it (shown on the alert), or hold it back for `minutes`. */
  | { readonly action: 'ack'; readonly incident: string }
  | { readonly action: 'mute'; readonly incident: string; readonly minutes: number }
  | { readonly action: 'invalid'; readonly problem: string };

export const ALERTS_USAGE = [
  '/sip alerts: what is spiking now, and this channel\'s settings',
  '/sip alerts subscribe (or unsubscribe): post spike alerts here',
  '/sip alerts threshold 20 ratio 4: alert at 20 failures in the window and 4× the usual rate (threshold default to reset)',
  '/sip alerts quiet 22-07 (or quiet off): hold new alerts back during these hours',
] as const;

/** Parses the words after "alerts". Never fails: what it cannot read is an 'invalid' command with a reason. */
export function parseAlertsCommand(rest: string): AlertsCommand {
  const words = rest.toLowerCase().trim().split(/\s+/).filter((w) => w !== '');
  const [verb = 'status', ...args] = words;
  switch (verb) {
    case 'status':
    case 'list':
    case 'show':
      return { action: 'status' };
    case 'subscribe':
    case 'on':
    case 'start':
      return { action: 'subscribe' };
    case 'unsubscribe':
    case 'off':
    case 'stop':
      return { action: 'unsubscribe' };
    case 'threshold':
    case 'thresholds':
      return parseThreshold(args);
    case 'quiet':
      return parseQuiet(args);
    case 'ack':
    case 'acknowledge':
      return INCIDENT_ID.test(args[0] ?? '') ? { action: 'ack', incident: args[0] ?? '' } : { action: 'invalid', problem: 'Acknowledge an alert with its button.' };
    case 'mute':
      return parseMute(args);
    default:
      return { action: 'invalid', problem: `"${verb.slice(0, 30)}" is not an alerts command.` };
  }
}

function parseThreshold(args: readonly string[]): AlertsCommand {
  if (args[0] === 'default' || args[0] === 'reset') return { action: 'threshold', reset: true };
  let minCount: number | undefined;
  let ratio: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === 'ratio' || word === 'x') {
      ratio = Number(args[++i]);
      continue;
    }
    const x = /^(\d+(?:\.\d+)?)x$/.exec(word);
    if (x) ratio = Number(x[1]);
    else if (word === 'min' || word === 'count') continue;
    else minCount = Number(word);
  }
  if (minCount === undefined && ratio === undefined) return { action: 'invalid', problem: 'Give a minimum count, a ratio, or both: threshold 20 ratio 4.' };
  if (minCount !== undefined && !(Number.isInteger(minCount) && minCount >= 1 && minCount <= 1_000_000)) {
    return { action: 'invalid', problem: 'The minimum count is a whole number from 1 to 1000000.' };
  }
  if (ratio !== undefined && !(Number.isFinite(ratio) && ratio >= 1 && ratio <= 1000)) {
    return { action: 'invalid', problem: 'The ratio is a number from 1 to 1000 (how many times the usual rate).' };
  }
  return { action: 'threshold', ...(minCount === undefined ? {} : { minCount }), ...(ratio === undefined ? {} : { ratio }) };
}

function parseQuiet(args: readonly string[]): AlertsCommand {
  const arg = args[0] ?? '';
  if (arg === 'off' || arg === 'none') return { action: 'quiet' };
  const m = /^([01]?\d|2[0-3])(?::00)?-([01]?\d|2[0-3])(?::00)?$/.exec(arg);
  if (m === null) return { action: 'invalid', problem: 'Quiet hours are written like 22-07 (from 22:00 to 06:59), or quiet off.' };
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (from === to) return { action: 'invalid', problem: 'Quiet hours need a start and an end that differ.' };
  return { action: 'quiet', hours: { from, to } };
}

// Incident ids are ours (alert-service.ts mints them); anything else is refused before it reaches a lookup.
const INCIDENT_ID = /^[a-z0-9]{1,24}$/;

function parseMute(args: readonly string[]): AlertsCommand {
  const [id = '', span = '1h'] = args;
  if (!INCIDENT_ID.test(id)) return { action: 'invalid', problem: 'Mute an alert with its button.' };
  const m = /^(\d{1,3})(m|min|h)$/.exec(span);
  const minutes = m === null ? NaN : Number(m[1]) * (m[2] === 'h' ? 60 : 1);
  if (!(minutes >= 1 && minutes <= 24 * 60)) return { action: 'invalid', problem: 'Mute for a time like 30m or 1h (at most 24h).' };
  return { action: 'mute', incident: id, minutes };
}
