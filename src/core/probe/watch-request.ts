import { fail, ok, type Result } from '../result.js';
import { parseProbeRequest, type ProbeRequest } from './probe-request.js';
import { clip } from './probe-target.js';

/** A watched target: what is probed (as probe text, also its key) and how often. */
export interface WatchSpec {
  /** The probe as `/sip probe` reads it, written one way: "sip:pbx.example.com;transport=tcp --method REGISTER". */
  readonly target: string;
  readonly intervalMs: number;
  readonly request: ProbeRequest;
}

export type WatchCommand =
  | { readonly action: 'watch'; readonly spec: WatchSpec }
  | { readonly action: 'unwatch'; readonly target: string }
  | { readonly action: 'list' };

export interface WatchLimits {
  /** The shortest interval accepted: a watch is a packet every interval, forever. */
  readonly minIntervalMs: number;
  readonly defaultIntervalMs: number;
  /** The transaction timeout probes of watched targets run with. */
  readonly timeoutMs: number;
}

export const WATCH_LIMITS = { minIntervalMs: 10_000, defaultIntervalMs: 60_000, timeoutMs: 5_000 } as const satisfies WatchLimits;
const MAX_INTERVAL_MS = 24 * 3_600_000;

export const WATCH_USAGE: readonly string[] = [
  '/sip probe watch sip:pbx.example.com 1m     probe every minute; this channel hears when it goes down and comes back',
  '/sip probe watch 203.0.113.7:5060 --transport tcp 30s',
  '/sip probe unwatch sip:pbx.example.com',
  '/sip probe list                             what is watched, and how each target is doing',
];

/** `watch …`, `unwatch …` or `list` after /sip probe; undefined when the text is a one-off probe. */
export function parseWatchCommand(text: string, limits: WatchLimits): Result<WatchCommand> | undefined {
  const m = /^\s*(watch|unwatch|list)\b\s*(.*)$/is.exec(text);
  if (m === null) return undefined;
  const verb = (m[1] ?? '').toLowerCase();
  const rest = (m[2] ?? '').trim();
  if (verb === 'list') return rest === '' ? ok({ action: 'list' }) : fail('watch-extra-words', '/sip probe list takes nothing after it.');
  if (verb === 'unwatch') {
    if (rest === '') return fail('watch-target-missing', 'Say which target to stop watching, as /sip probe list shows it.');
    const spec = parseWatchLine(rest, { ...limits, minIntervalMs: 0 });
    return spec.ok ? ok({ action: 'unwatch', target: spec.value.target }) : spec;
  }
  const spec = parseWatchLine(rest, limits);
  return spec.ok ? ok({ action: 'watch', spec: spec.value }) : spec;
}

/**
 * One watched target, from chat or a PROBES line: `<target> [interval] [--transport udp|tcp|tls]
 * [--method OPTIONS|REGISTER]`. An INVITE is never watched: it would ring a phone every interval.
 */
export function parseWatchLine(text: string, limits: WatchLimits): Result<WatchSpec> {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  let intervalMs = limits.defaultIntervalMs;
  const probeWords: string[] = [];
  let targetSeen = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (/^--?(transport|method|timeout)$/i.test(w)) {
      probeWords.push(w, words[++i] ?? '');
      continue;
    }
    if (w.startsWith('-')) {
      probeWords.push(w);
      continue;
    }
    // The interval follows the target: "sip:pbx 30s"; a target never looks like "30s".
    if (targetSeen && /^\d/.test(w)) {
      const iv = parseInterval(w, limits.minIntervalMs);
      if (!iv.ok) return iv;
      intervalMs = iv.value;
      continue;
    }
    targetSeen = true;
    probeWords.push(w);
  }
  if (!targetSeen) return fail('watch-target-missing', 'Say what to watch: a SIP URI, a host name or an address, like sip:pbx.example.com 1m.');
  const req = parseProbeRequest(probeWords.join(' '), { timeoutMs: limits.timeoutMs });
  if (!req.ok) return req;
  if (req.value.method === 'INVITE') return fail('watch-invite', 'An INVITE is never watched: it would ring a phone every interval. Watch with OPTIONS or REGISTER.');
  return ok({ target: watchKey(req.value), intervalMs, request: req.value });
}

/** "30s", "5m", "1h", "200ms", "90" (seconds). */
export function parseInterval(text: string, minMs: number): Result<number> {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/i.exec(text.trim());
  if (m === null) return fail('watch-interval-invalid', `"${clip(text, 20)}" is not an interval: use seconds or minutes, like 30s or 5m.`);
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = Math.round(Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
  if (ms < minMs) return fail('watch-interval-short', `A watched target is probed at most every ${Math.round(minMs / 1000)} s; ${clip(text, 20)} is shorter than that.`);
  if (ms > MAX_INTERVAL_MS) return fail('watch-interval-long', `A watched target is probed at least once a day; ${clip(text, 20)} is longer than that.`);
  return ok(ms);
}

/** The one way a watched probe is written: the key it is stored, claimed and labelled by. */
export function watchKey(r: ProbeRequest): string {
  const t = r.target;
  const host = t.hostKind === 'ipv6' ? `[${t.host}]` : t.host;
  const user = t.user === '' ? '' : `${t.user}@`;
  const port = t.port === undefined ? '' : `:${t.port}`;
  const transport = r.transport === undefined || t.scheme === 'sips' ? '' : `;transport=${r.transport}`;
  return `${t.scheme}:${user}${host}${port}${transport}${r.method === 'OPTIONS' ? '' : ` --method ${r.method}`}`;
}

/** "1 min", "30 s", "200 ms": an interval as people read it. */
export function intervalText(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Math.round(ms / 100) / 10} s`;
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`;
}
