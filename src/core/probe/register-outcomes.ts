import type { SipMessage } from '../sip/message.js';

/** One REGISTER transaction as live traffic showed it: who answered, for which AOR, and what it did to bindings. */
export interface RegisterOutcome {
  readonly outcome: 'registered' | 'unregistered' | 'failed';
  readonly code: number;
  /** The registrar that answered: the response's source, else where the request went, else the Request-URI host. */
  readonly registrar: string;
  /** The address of record (To), user@domain, and its domain. */
  readonly aor: string;
  readonly domain: string;
  /** The contacts the REGISTER named ('*' for all of the AOR's bindings). */
  readonly contacts: readonly string[];
  /** How long the binding lasts (s), for "registered". */
  readonly expiresSec: number;
  readonly time: number | undefined;
}

// RFC 3261 §10.2.1.1: without an expires parameter or header the registrar picks; an hour is the usual default.
const DEFAULT_EXPIRES = 3600;

/**
 * The REGISTER outcomes among one Call-ID's messages: the first final answer per CSeq (retransmissions once).
 * A 401/407 is a challenge the phone answers in the next transaction, not an outcome. A 2xx to a REGISTER whose
 * bindings all have expires 0 (or Contact: *) removes them (RFC 3261 §10.2.2); any other 2xx makes or
 * refreshes them for the time the registrar granted (§10.3 step 8: the 200 OK lists each binding's expires).
 */
export function registerOutcomes(messages: readonly SipMessage[]): RegisterOutcome[] {
  const out: RegisterOutcome[] = [];
  const seen = new Set<number>();
  for (const res of messages) {
    const cseq = res.cseq;
    if (!res.isResponse || cseq?.method !== 'REGISTER' || res.status === undefined || res.status < 200 || seen.has(cseq.seq)) continue;
    seen.add(cseq.seq);
    if (res.status === 401 || res.status === 407) continue;
    const req = messages.find((m) => m.isRequest && m.method === 'REGISTER' && m.cseq?.seq === cseq.seq);
    const to = (req ?? res).to?.uri;
    const domain = (to?.host ?? '').toLowerCase() || 'unknown';
    const aor = `${to?.user ?? ''}@${domain}`;
    const registrar = res.meta.src?.host ?? req?.meta.dst?.host ?? hostOf(req?.uri) ?? 'unknown';
    const reqContacts = req?.contacts ?? [];
    const contacts = reqContacts.map((c) => (c.star ? '*' : c.uriText));
    const base = { code: res.status, registrar, aor, domain, contacts, time: res.meta.time };
    if (res.status >= 300) {
      out.push({ ...base, outcome: 'failed', expiresSec: 0 });
      continue;
    }
    const asked = reqContacts.map((c) => expiresOf(c.params.get('expires'), req?.expires));
    if (reqContacts.length > 0 && (reqContacts.some((c) => c.star) || asked.every((e) => e === 0))) {
      out.push({ ...base, outcome: 'unregistered', expiresSec: 0 });
      continue;
    }
    // A refresh or a fetch of the bindings (no Contact): what the 200 OK grants is what counts.
    const granted = res.contacts.map((c) => expiresOf(c.params.get('expires'), res.expires)).filter((e): e is number => e !== undefined && e > 0);
    const expiresSec = granted.length > 0 ? Math.max(...granted) : (asked.find((e) => e !== undefined && e > 0) ?? res.expires ?? DEFAULT_EXPIRES);
    if (reqContacts.length === 0 && res.contacts.length === 0) continue;
    out.push({ ...base, outcome: 'registered', contacts: contacts.length > 0 ? contacts : res.contacts.map((c) => c.uriText), expiresSec });
  }
  return out;
}

function expiresOf(param: string | undefined, header: number | undefined): number | undefined {
  if (param !== undefined && /^\d{1,10}$/.test(param.trim())) return Number(param.trim());
  return header;
}

function hostOf(uri: string | undefined): string | undefined {
  return uri === undefined ? undefined : (/^sips?:(?:[^@;]*@)?(\[[^\]]+\]|[^:;>]+)/i.exec(uri)?.[1] ?? undefined);
}
