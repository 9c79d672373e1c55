import { fail, ok, type Result } from '../result.js';
import { clip, parseProbeTarget, parseTransport, type ProbeTarget, type ProbeTransport } from './probe-target.js';

export type ProbeMethod = 'OPTIONS' | 'REGISTER' | 'INVITE';

/** A probe as asked for, from chat (`/sip probe …`) or the command line, before any network work. */
export interface ProbeRequest {
  readonly target: ProbeTarget;
  /** --transport wins over ;transport= in the URI (the person typed it last). */
  readonly transport: ProbeTransport | undefined;
  readonly method: ProbeMethod;
  /** Bounded by Timer F (64×T1 = 32 s, RFC 3261 §17.1.2.2): a client never waits longer for one transaction. */
  readonly timeoutMs: number;
}

export const PROBE_USAGE: readonly string[] = [
  '/sip probe sip:pbx.example.com            OPTIONS over what DNS says (NAPTR → SRV → A/AAAA)',
  '/sip probe 203.0.113.7:5060 --transport tcp --timeout 5s',
  '/sip probe sips:sbc.example.com           TLS, with the certificate checked',
  '/sip probe sip:pbx.example.com --method REGISTER    with the credentials in siptriage\'s configuration',
  '/sip probe sip:pbx.example.com --method INVITE-dry  an INVITE cancelled at once',
];

export const MAX_TIMEOUT_MS = 32_000;
export const MIN_TIMEOUT_MS = 1_000;

/** `<target> [--transport udp|tcp|tls] [--timeout 5s] [--method OPTIONS|REGISTER|INVITE-dry]`. */
export function parseProbeRequest(text: string, defaults: { readonly timeoutMs: number }): Result<ProbeRequest> {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  let targetText: string | undefined;
  let transport: ProbeTransport | undefined;
  let method: ProbeMethod = 'OPTIONS';
  let timeoutMs = defaults.timeoutMs;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const flag = /^--?([a-z-]+)(?:=(.*))?$/i.exec(word);
    if (flag === null || /^-?\d/.test(word)) {
      if (targetText !== undefined) return fail('probe-extra-words', `Probe one target at a time: "${clip(word)}" follows ${clip(targetText)}.`);
      targetText = word;
      continue;
    }
    const name = (flag[1] ?? '').toLowerCase();
    if (!['transport', 'timeout', 'method'].includes(name)) return fail('probe-flag-unknown', `--${clip(name, 20)} is not a probe option: use --transport, --timeout or --method.`);
    const value = flag[2] ?? words[++i];
    if (value === undefined) return fail('probe-flag-value', `--${name} needs a value.`);
    switch (name) {
      case 'transport': {
        const t = parseTransport(value);
        if (!t.ok) return t;
        transport = t.value;
        break;
      }
      case 'timeout': {
        const t = parseTimeout(value);
        if (!t.ok) return t;
        timeoutMs = t.value;
        break;
      }
      default: {
        const m = parseMethod(value);
        if (!m.ok) return m;
        method = m.value;
        break;
      }
    }
  }
  if (targetText === undefined) return fail('probe-target-missing', 'Say what to probe: a SIP URI, a host name or an address, like sip:pbx.example.com or 203.0.113.7:5060.');
  const target = parseProbeTarget(targetText);
  if (!target.ok) return target;
  if (target.value.scheme === 'sips' && transport !== undefined && transport !== 'tls') {
    return fail('probe-sips-transport', `A sips: URI is only reached over TLS, so --transport ${transport} contradicts it: use sip: for ${transport.toUpperCase()}.`);
  }
  return ok({ target: target.value, transport: transport ?? target.value.transport, method, timeoutMs });
}

/** "5", "5s", "2500ms": between 1 s and Timer F's 32 s. */
export function parseTimeout(text: string): Result<number> {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/i.exec(text.trim());
  if (m === null) return fail('probe-timeout-invalid', `"${clip(text, 20)}" is not a timeout: use seconds, like --timeout 5s.`);
  const ms = (m[2] ?? 's').toLowerCase() === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
  if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
    return fail('probe-timeout-range', `A probe waits between 1 and 32 seconds (32 s is Timer F, RFC 3261 §17.1.2.2); ${clip(text, 20)} is outside that.`);
  }
  return ok(Math.round(ms));
}

function parseMethod(text: string): Result<ProbeMethod> {
  const t = text.trim().toUpperCase();
  if (t === 'OPTIONS' || t === 'REGISTER') return ok(t);
  // An INVITE can ring a phone: only the explicit dry form is accepted, and it is cancelled at once.
  if (t === 'INVITE-DRY') return ok('INVITE');
  if (t === 'INVITE') return fail('probe-invite-not-dry', 'An INVITE probe can ring a phone: ask for it explicitly with --method INVITE-dry, and it is cancelled at once.');
  return fail('probe-method-unknown', `"${clip(text, 20)}" is not a probe method: use OPTIONS, REGISTER or INVITE-dry.`);
}
