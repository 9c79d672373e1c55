import type { SipMessage } from '../sip/message.js';
import { splitList } from '../sip/lexer.js';
import type { Reason } from '../sip/reason.js';
import type { RetryAfter } from '../sip/timers.js';
import type { Warning } from '../sip/warning.js';

/** What a server said to a probe, decoded as far as an engineer on call needs it. */
export interface ProbeAnswer {
  readonly status: number;
  readonly reason: string;
  /** Server (RFC 3261 §20.35) or, from a user agent, User-Agent (§20.41). */
  readonly server: string | undefined;
  readonly userAgent: string | undefined;
  readonly allow: readonly string[];
  readonly supported: readonly string[];
  readonly accept: readonly string[];
  readonly retryAfter: RetryAfter | undefined;
  readonly warnings: readonly Warning[];
  readonly reasons: readonly Reason[];
  /** WWW-Authenticate / Proxy-Authenticate on a 401/407: the algorithms offered (RFC 8760). */
  readonly challenges: readonly { readonly header: string; readonly realm: string | undefined; readonly algorithm: string }[];
  /** The To header as sent, for the ACK of a non-2xx INVITE answer (RFC 3261 §17.1.1.3). */
  readonly to: string;
}

// Header values echoed into chat are cut: a hostile server chooses them.
const MAX_VALUE = 120;
const MAX_ITEMS = 24;

export function decodeAnswer(message: SipMessage): ProbeAnswer {
  const list = (name: string): string[] => message.getAll(name).flatMap((v) => splitList(v)).map((v) => cut(v.trim())).filter((v) => v !== '').slice(0, MAX_ITEMS);
  const one = (name: string): string | undefined => {
    const v = message.get(name);
    return v === undefined || v.trim() === '' ? undefined : cut(v.trim());
  };
  return {
    status: message.status ?? 0,
    reason: cut(message.reason ?? ''),
    server: one('Server'),
    userAgent: one('User-Agent'),
    allow: list('Allow').map((m) => m.toUpperCase()),
    supported: list('Supported'),
    accept: list('Accept'),
    retryAfter: message.retryAfter,
    warnings: message.warnings.slice(0, MAX_ITEMS).map((w) => ({ ...w, agent: cut(w.agent), text: cut(w.text) })),
    reasons: message.reasons.slice(0, MAX_ITEMS).map((r) => ({ ...r, text: r.text === undefined ? undefined : cut(r.text) })),
    challenges: message.challenges.slice(0, MAX_ITEMS).map((c) => ({ header: c.header, realm: c.challenge.realm === undefined ? undefined : cut(c.challenge.realm), algorithm: cut(c.challenge.algorithm ?? 'MD5') })),
    to: message.get('To') ?? '',
  };
}

function cut(text: string): string {
  // Control characters would let a server draw in the terminal or break chat markup.
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > MAX_VALUE ? `${clean.slice(0, MAX_VALUE)}…` : clean;
}
